package org.captchasolver.dataset;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.captchasolver.image.InputShape;

/**
 * The pixel arrays batches are decoded into, lent to {@link BatchStream}s and taken back, so that a
 * training run allocates a handful once rather than one per batch. A fresh array per batch (786 KB
 * for one-channel batches of 32) lived in the prefetch queue across young collections, G1's 4-MB
 * survivor space could not hold them, and they were promoted, dead a few steps later, until the
 * heap had grown by a gigabyte in 25 epochs; arrays made per stream did the same once an epoch
 * (docs/performance.md, "Memory"). Thread-safe: loader threads take, the consumer gives back.
 */
public final class PixelBuffers {
    private final int batchSize;
    private final InputShape shape;
    private final Queue<float[]> free = new ConcurrentLinkedQueue<>();
    private final AtomicInteger allocated = new AtomicInteger();

    public PixelBuffers(int batchSize, InputShape shape) {
        this.batchSize = batchSize;
        this.shape = shape;
    }

    boolean fits(int batchSize, InputShape shape) {
        return this.batchSize == batchSize && this.shape.size() == shape.size();
    }

    float[] take() {
        float[] a = free.poll();
        if (a != null) {
            return a;
        }
        allocated.incrementAndGet();
        return new float[batchSize * shape.size()];
    }

    void giveBack(float[] a) {
        free.add(a);
    }

    /** Arrays made so far: the most that were ever lent at once. */
    public int allocated() {
        return allocated.get();
    }
}
