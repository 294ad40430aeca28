package org.captchasolver.dataset;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.captchasolver.augment.Augmentation;
import org.captchasolver.augment.Augmenter;
import org.captchasolver.image.ImageDecoder;
import org.captchasolver.image.ImageRejectedException;
import org.captchasolver.image.InputShape;
import org.captchasolver.model.Alphabet;

/**
 * Streams batches of one epoch: decoding and augmentation run on a worker pool a few batches
 * ahead (bounded, so memory holds only those), in a fixed order, so a seed gives the same batches
 * whatever the thread timing. Only paths are held; images are decoded when their batch comes up.
 * A file that no longer decodes is left out of its batch and counted.
 *
 * <p>Each batch's pixel array is handed back when the consumer asks for the next batch (or learns
 * there is none) and filled again a few batches later, so a batch is only valid until then. Give
 * the streams of a training run one {@link PixelBuffers} to share (see there why).
 */
public final class BatchStream implements Iterable<Batch>, AutoCloseable {
    private static final int PREFETCH = 4;

    private final List<IndexEntry> entries;
    private final Function<IndexEntry, Path> paths;
    private final Alphabet alphabet;
    private final int maxLength;
    private final InputShape shape;
    private final Augmentation augmentation;
    private final int batchSize;
    private final long seed;
    private final ExecutorService pool;
    private final ImageDecoder decoder = ImageDecoder.defaults();
    private final AtomicLong waitNanos = new AtomicLong();
    private final PixelBuffers buffers;

    /** A stream with arrays of its own, for a single pass. */
    public BatchStream(List<IndexEntry> entries, Function<IndexEntry, Path> paths, Alphabet alphabet, int maxLength,
                       InputShape shape, Augmentation augmentation, int batchSize, long seed, ExecutorService pool) {
        this(entries, paths, alphabet, maxLength, shape, augmentation, batchSize, seed, pool,
                new PixelBuffers(batchSize, shape));
    }

    /**
     * @param entries in the order to serve them (the caller shuffles)
     * @param buffers arrays shared with the run's other streams of this batch size and shape
     */
    public BatchStream(List<IndexEntry> entries, Function<IndexEntry, Path> paths, Alphabet alphabet, int maxLength,
                       InputShape shape, Augmentation augmentation, int batchSize, long seed, ExecutorService pool,
                       PixelBuffers buffers) {
        if (!buffers.fits(batchSize, shape)) {
            throw new IllegalArgumentException("pixel buffers made for another batch size or input shape");
        }
        this.entries = entries;
        this.paths = paths;
        this.alphabet = alphabet;
        this.maxLength = maxLength;
        this.shape = shape;
        this.augmentation = augmentation;
        this.batchSize = batchSize;
        this.seed = seed;
        this.pool = pool;
        this.buffers = buffers;
    }

    /** Time the consumer spent waiting for a batch that was not ready yet. */
    public long waitNanos() {
        return waitNanos.get();
    }

    public int batches() {
        return (entries.size() + batchSize - 1) / batchSize;
    }

    @Override
    public Iterator<Batch> iterator() {
        BlockingQueue<Future<Batch>> ahead = new ArrayBlockingQueue<>(PREFETCH + 1);
        int total = batches();
        return new Iterator<>() {
            int submitted;
            int taken;
            Batch lent;

            private void fill() {
                while (submitted < total && ahead.size() < PREFETCH) {
                    int b = submitted++;
                    ahead.add(pool.submit(() -> load(b)));
                }
            }

            @Override
            public boolean hasNext() {
                if (taken < total) {
                    return true;
                }
                giveBack();
                return false;
            }

            private void giveBack() {
                if (lent != null) {
                    buffers.giveBack(lent.pixels());
                    lent = null;
                }
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                giveBack();
                fill();
                Future<Batch> f = ahead.poll();
                taken++;
                long t0 = System.nanoTime();
                try {
                    Batch batch = f.get();
                    waitNanos.addAndGet(System.nanoTime() - t0);
                    fill();
                    lent = batch;
                    return batch;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                } catch (ExecutionException e) {
                    throw new IllegalStateException("loading a batch failed: " + e.getCause().getMessage(), e.getCause());
                }
            }
        };
    }

    private Batch load(int b) {
        int from = b * batchSize;
        int to = Math.min(entries.size(), from + batchSize);
        float[] pixels = buffers.take();
        int[] classes = new int[(to - from) * maxLength];
        int[] lengths = new int[to - from];
        List<IndexEntry> kept = new ArrayList<>(to - from);
        Augmenter augmenter = new Augmenter(augmentation, shape);
        int n = 0;
        int skipped = 0;
        for (int i = from; i < to; i++) {
            IndexEntry e = entries.get(i);
            BufferedImage img;
            try {
                img = decoder.decode(paths.apply(e)).image();
            } catch (ImageRejectedException ex) {
                skipped++;
                continue;
            }
            augmenter.toChw(img, pixels, n * shape.size(), seed * 0x9E3779B97F4A7C15L + i);
            encode(e.label(), classes, n * maxLength);
            lengths[n] = Math.min(maxLength, e.label().length());
            kept.add(e);
            n++;
        }
        if (n < to - from) {
            classes = java.util.Arrays.copyOf(classes, n * maxLength);
            lengths = java.util.Arrays.copyOf(lengths, n);
        }
        return new Batch(pixels, n, classes, lengths, kept, skipped);
    }

    /** Characters outside the alphabet become 0; evaluation reports such labels separately. */
    private void encode(String label, int[] out, int offset) {
        for (int k = 0; k < label.length() && k < maxLength; k++) {
            out[offset + k] = Math.max(0, alphabet.classOf(label.charAt(k)));
        }
    }

    @Override
    public void close() {
        // The pool belongs to the caller; nothing of ours outlives the iterator.
    }
}
