package org.captchasolver.solve.spi;

/**
 * A loaded network: images in, per-step class probabilities out. Implementations are thread-safe and hold native
 * memory until closed.
 */
public interface Network extends AutoCloseable {

    /**
     * Runs the network on a batch.
     *
     * @param pixels {@code n} images in CHW order, each {@code spec.input().size()} floats in [0, 1]
     * @param n      how many images {@code pixels} holds
     * @return the softmax outputs, (n, steps, classes) in row-major order
     */
    float[] probabilities(float[] pixels, int n);

    /** Frees the network's native memory. */
    @Override
    void close();
}
