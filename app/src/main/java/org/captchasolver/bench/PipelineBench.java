package org.captchasolver.bench;

import java.util.concurrent.ExecutorService;
import org.captchasolver.augment.Augmentation;
import org.captchasolver.common.Parallel;
import org.captchasolver.dataset.Batch;
import org.captchasolver.dataset.BatchStream;
import org.captchasolver.dataset.DatasetIndex;
import org.captchasolver.image.InputShape;

/**
 * Data pipeline speed through {@link BatchStream}, the loader training uses: read, decode, resize,
 * normalise (and optionally augment), with a given number of worker threads.
 */
public final class PipelineBench {
    private PipelineBench() {}

    public record Result(String format, String augmentation, int threads, int images, double imagesPerSecond) {}

    public static Result run(DatasetIndex index, String format, InputShape shape, Augmentation augmentation, int threads) {
        ExecutorService pool = Parallel.pool("bench-decode", threads);
        try {
            pass(index, shape, augmentation, pool); // warm-up: JIT, file cache
            long t0 = System.nanoTime();
            int images = pass(index, shape, augmentation, pool);
            double seconds = (System.nanoTime() - t0) / 1e9;
            return new Result(format, augmentation == Augmentation.NONE ? "none" : "default", threads, images, images / seconds);
        } finally {
            pool.shutdownNow();
        }
    }

    private static int pass(DatasetIndex index, InputShape shape, Augmentation augmentation, ExecutorService pool) {
        BatchStream stream = new BatchStream(index.entries(), index::pathOf, index.alphabet(), index.maxLabelLength(), shape,
                augmentation, 64, 1, pool);
        int n = 0;
        for (Batch b : stream) {
            n += b.size();
        }
        return n;
    }
}
