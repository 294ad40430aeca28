package org.captchasolver.eda;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.captchasolver.common.Parallel;
import org.captchasolver.dataset.DatasetIndex;
import org.captchasolver.dataset.IndexEntry;
import org.captchasolver.dataset.Splitter;
import org.captchasolver.image.DecodedImage;
import org.captchasolver.image.ImageDecoder;
import org.captchasolver.image.ImageRejectedException;
import org.captchasolver.plot.ImageGrid;
import org.captchasolver.util.Progress;

/** The local exploratory analysis: label statistics over all images, pixel statistics over seeded samples. */
public final class EdaAnalyzer {
    private final EdaOptions options;
    private final ImageDecoder decoder = ImageDecoder.defaults();

    public EdaAnalyzer(EdaOptions options) {
        this.options = options;
    }

    public EdaStats analyze(DatasetIndex index) throws InterruptedException {
        EdaStatsBuilder b = new EdaStatsBuilder();
        index.entries().forEach(e -> b.label(e.label()));
        for (IndexEntry e : sample(index.entries(), options.sizeSample(), options.seed())) {
            int channels = e.channels() > 0 ? e.channels() : decodedChannels(index, e);
            b.size(e.width(), e.height(), channels, 1);
        }
        List<IndexEntry> pixelSample = sample(index.entries(), options.intensitySample(), options.seed() + 1);
        int threads = Parallel.cores();
        ExecutorService pool = Parallel.pool("eda", threads);
        try (Progress bar = Progress.bar("eda pixels", pixelSample.size(), "img")) {
            List<Future<Partial>> parts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                final int worker = t;
                parts.add(pool.submit(() -> {
                    Partial p = new Partial();
                    for (int i = worker; i < pixelSample.size(); i += threads) {
                        if (accumulate(index, pixelSample.get(i), p)) {
                            p.images++;
                        }
                        bar.step();
                    }
                    return p;
                }));
            }
            for (Future<Partial> f : parts) {
                Partial p = f.get();
                b.intensity(p.r, p.g, p.b, p.images);
            }
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("EDA failed: " + e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return b.build();
    }

    /** Adds every pixel's R, G and B to the accumulators; alpha is ignored (CAPTCHAs are opaque in practice). */
    public static void addPixels(BufferedImage img, ChannelStats.Accumulator r, ChannelStats.Accumulator g, ChannelStats.Accumulator bl) {
        int w = img.getWidth();
        int h = img.getHeight();
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            img.getRGB(0, y, w, 1, row, 0, w);
            for (int p : row) {
                r.add((p >> 16) & 0xff);
                g.add((p >> 8) & 0xff);
                bl.add(p & 0xff);
            }
        }
    }

    /** One worker's share of the intensity statistics. */
    private static final class Partial {
        final ChannelStats.Accumulator r = new ChannelStats.Accumulator();
        final ChannelStats.Accumulator g = new ChannelStats.Accumulator();
        final ChannelStats.Accumulator b = new ChannelStats.Accumulator();
        long images;
    }

    private boolean accumulate(DatasetIndex index, IndexEntry e, Partial p) {
        try {
            DecodedImage d = decoder.decode(index.pathOf(e));
            addPixels(d.image(), p.r, p.g, p.b);
            return true;
        } catch (ImageRejectedException ex) {
            return false; // changed on disk since indexing; the sample is one smaller
        }
    }

    private int decodedChannels(DatasetIndex index, IndexEntry e) {
        try {
            return decoder.decode(index.pathOf(e)).header().channels();
        } catch (ImageRejectedException ex) {
            return -1;
        }
    }

    /** The grid's images, titled with their labels. */
    public List<ImageGrid.Cell> sampleCells(DatasetIndex index) {
        List<ImageGrid.Cell> cells = new ArrayList<>();
        for (IndexEntry e : sample(index.entries(), options.gridImages(), options.seed() + 2)) {
            try {
                cells.add(ImageGrid.Cell.titled(decoder.decode(index.pathOf(e)).image(), e.label()));
            } catch (ImageRejectedException ex) {
                // left out of the grid
            }
        }
        return cells;
    }

    /**
     * A seeded sample, independent of the order entries arrive in: the {@code n} files of lowest
     * {@link Splitter#rank}, which a distributed job picks the same way.
     */
    public static List<IndexEntry> sample(List<IndexEntry> entries, int n, long seed) {
        List<IndexEntry> sorted = new ArrayList<>(entries);
        sorted.sort(Splitter.byRank(seed));
        return n >= sorted.size() ? sorted : sorted.subList(0, n);
    }
}
