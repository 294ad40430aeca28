package org.captchasolver.generate;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.captchasolver.common.AtomicFiles;
import org.captchasolver.common.Json;
import org.captchasolver.common.Parallel;
import org.captchasolver.dataset.LabelManifest;
import org.captchasolver.util.Progress;

/**
 * Writes a labelled synthetic dataset: {@code <label>.png} ({@code <label>_<n>.png} when a label
 * repeats), {@code labels.csv} and {@code generator.json}. Image {@code i} depends only on the seed and
 * {@code i}, so the same seed gives the same files whatever the thread count.
 */
public final class DatasetGenerator {

    /** A planned image: its label, style and file name. */
    public record Item(int index, String label, CaptchaStyle style, String fileName) {}

    /** What was written and how fast. */
    public record Result(Path folder, int images, double seconds) {
        public double imagesPerSecond() {
            return images / Math.max(seconds, 1e-9);
        }
    }

    private final GeneratorConfig config;

    public DatasetGenerator(GeneratorConfig config) {
        this.config = config;
    }

    /** Decides every label and file name before any pixel is drawn. */
    public List<Item> plan() {
        List<Item> items = new ArrayList<>(config.count());
        Map<String, Integer> seen = new HashMap<>();
        String cs = config.charset();
        for (int i = 0; i < config.count(); i++) {
            Random rnd = new Random(mix(config.seed(), 2L * i));
            int len = config.minLength() + rnd.nextInt(config.maxLength() - config.minLength() + 1);
            StringBuilder sb = new StringBuilder(len);
            for (int k = 0; k < len; k++) {
                sb.append(cs.charAt(rnd.nextInt(cs.length())));
            }
            String label = sb.toString();
            // Counted case-insensitively so that "aB3" and "Ab3" never clash on a case-folding file system.
            int n = seen.merge(label.toLowerCase(Locale.ROOT), 1, Integer::sum);
            String name = n == 1 ? label + ".png" : label + "_" + (n - 1) + ".png";
            CaptchaStyle style = config.styles().get(i % config.styles().size());
            items.add(new Item(i, label, style, name));
        }
        return items;
    }

    public Result generate(Path folder) throws IOException {
        Files.createDirectories(folder);
        List<Item> items = plan();
        long start = System.nanoTime();
        int threads = Parallel.cores();
        ExecutorService pool = Parallel.pool("generate", threads);
        try (Progress bar = Progress.bar("generate", items.size(), "img")) {
            List<Future<?>> futures = new ArrayList<>(threads);
            for (int t = 0; t < threads; t++) {
                final int worker = t;
                futures.add(pool.submit(() -> {
                    Map<Long, CaptchaRenderer> renderers = new java.util.HashMap<>(); // one per image size
                    FastPngEncoder png = new FastPngEncoder();
                    try {
                        for (int i = worker; i < items.size(); i += threads) {
                            Item item = items.get(i);
                            Random rnd = new Random(mix(config.seed(), 2L * i + 1));
                            int[] size = item.style().sizeFor(item.label().length(), config.width(), config.height(), rnd);
                            CaptchaRenderer renderer = renderers.computeIfAbsent(((long) size[0] << 32) | size[1],
                                    key -> new CaptchaRenderer(size[0], size[1]));
                            BufferedImage img = renderer.render(item.label(), item.style(), rnd);
                            byte[] bytes = png.encode(img);
                            // Written in place, not temp+rename: that halves the file-system work, which is
                            // most of the cost here. labels.csv, written atomically last, marks a finished
                            // dataset, and the indexer reports any image a crash left half-written.
                            Files.write(folder.resolve(item.fileName()), bytes);
                            bar.step();
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    Throwable c = e.getCause();
                    throw new IOException("cannot write images to " + folder + ": " + c.getMessage(), c);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }
        } finally {
            pool.shutdownNow();
            try {
                pool.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        LabelManifest.write(folder.resolve(LabelManifest.FILE_NAME),
                items.stream().map(it -> Map.entry(it.fileName(), it.label())).toList());
        Map<String, Object> meta = new java.util.LinkedHashMap<>();
        meta.put("config", config);
        meta.put("fonts", CaptchaRenderer.fontFamilies());
        AtomicFiles.write(folder.resolve("generator.json"),
                out -> Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(out, meta));
        return new Result(folder, items.size(), seconds);
    }

    /** SplitMix64 finaliser: independent streams for (seed, i) pairs. */
    static long mix(long seed, long i) {
        long z = seed * 0x9E3779B97F4A7C15L + i + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
