package org.captchasolver.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.captchasolver.common.CaptchaException;
import org.captchasolver.common.Folders;
import org.captchasolver.common.Json;
import org.captchasolver.dataset.DatasetIndex;
import org.captchasolver.dataset.IndexEntry;
import org.captchasolver.dataset.IndexSummary;
import org.captchasolver.dataset.Split;
import org.captchasolver.train.EpochMetrics;
import org.captchasolver.train.RunFolder;
import org.captchasolver.util.Memory;

/**
 * Memory of real training runs, each in its own JVM ({@code -Xmx2g}, like a user's) so that its peak
 * resident size is its own: the peak is polled from /proc while it runs, the per-epoch RSS and the
 * data-wait share come from the run's {@code all_metrics.json}.
 */
public final class MemoryBench {
    private MemoryBench() {}

    public record Result(String dataset, int indexedImages, int epochs, int stepsPerEpoch, long peakRssMb, long rssEpoch2Mb,
                         long rssLastEpochMb, double rssGrowth, double dataWaitFraction, double imagesPerSecond,
                         double seconds) {}

    /**
     * Trains {@code epochs} epochs of {@code steps} steps with {@code captcha train} in a child JVM.
     *
     * @param mainClass the CLI's main class (the child runs {@code <mainClass> train ...} on this classpath)
     */
    public static Result train(String mainClass, String name, Path indexDir, int indexedImages, Path runDir, int epochs,
                               int steps) throws IOException, InterruptedException {
        Folders.deleteRecursively(runDir);
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java));
        cmd.addAll(launcherOptions());
        cmd.addAll(List.of("-Xmx2g", "-cp", System.getProperty("java.class.path"), mainClass,
                "train", "-q", "--data", indexDir.toString(), "--out", runDir.toString(), "--epochs", String.valueOf(epochs),
                "--steps-per-epoch", String.valueOf(steps), "--val-limit", "256", "--patience", "1000"));
        Files.createDirectories(runDir.getParent());
        Path log = runDir.resolveSibling(runDir.getFileName() + ".log");
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long peakKb = 0;
        while (!p.waitFor(100, TimeUnit.MILLISECONDS)) {
            peakKb = Math.max(peakKb, Memory.peakRssKb(p.pid()));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (p.exitValue() != 0) {
            throw new CaptchaException("the training run for " + name + " failed (exit " + p.exitValue() + "): see " + log);
        }
        List<EpochMetrics> history = List.of(Json.read(new RunFolder(runDir).allMetrics(), EpochMetrics[].class));
        long second = history.get(Math.min(1, history.size() - 1)).rssMb();
        EpochMetrics last = history.get(history.size() - 1);
        double wait = history.stream().skip(1).mapToDouble(EpochMetrics::dataWaitFraction).average().orElse(Double.NaN);
        double ips = history.stream().skip(1).mapToDouble(EpochMetrics::imagesPerSecond).average().orElse(Double.NaN);
        // Polling every 100 ms can end just before the child's last epoch reads its own RSS; the peak is at
        // least every value the child recorded.
        long peakMb = Math.max(peakKb / 1024, history.stream().mapToLong(EpochMetrics::rssMb).max().orElse(0));
        return new Result(name, indexedImages, history.size(), steps, peakMb, second, last.rssMb(),
                (double) last.rssMb() / second - 1, wait, ips, seconds);
    }

    /**
     * This JVM's options but its heap limit: run through {@code bin/captcha}, the child gets the
     * launcher's heap-sizing flags, so the bench measures what a user's training run does.
     */
    static List<String> launcherOptions() {
        return java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> !a.startsWith("-Xmx") && !a.startsWith("-agentlib") && !a.startsWith("-javaagent")).toList();
    }

    /**
     * An index of {@code copies} x the source's entries under generated names: the folder holds one
     * symbolic link per copy to the source images, so every path is distinct and decodable without
     * writing the images again.
     */
    public static DatasetIndex multiply(DatasetIndex source, int copies, Path dir) throws IOException {
        Path root = dir.resolve("data");
        Files.createDirectories(root);
        List<IndexEntry> entries = new ArrayList<>(source.entries().size() * copies);
        for (int c = 0; c < copies; c++) {
            Path link = root.resolve("c" + c);
            if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.createSymbolicLink(link, source.root().toAbsolutePath());
            }
            for (IndexEntry e : source.entries()) {
                entries.add(new IndexEntry("c" + c + "/" + e.file(), e.label(), e.width(), e.height(), e.channels(), e.bytes(),
                        e.split()));
            }
        }
        Map<String, Integer> sizes = new LinkedHashMap<>();
        for (Split s : Split.values()) {
            sizes.put(s.id(), (int) entries.stream().filter(e -> e.split() == s).count());
        }
        IndexSummary s = source.summary();
        IndexSummary summary = new IndexSummary(root.toAbsolutePath().toString(), entries.size(), 0, Map.of(), sizes, s.alphabet(),
                s.alphabetFixed(), s.labelRules(), s.labelSource(), s.splitRatios(), s.seed(), null, s.verify(),
                s.fingerprint() + "x" + copies);
        DatasetIndex index = new DatasetIndex(root.toAbsolutePath(), entries, List.of(), source.alphabet(), summary);
        index.write(dir.resolve("index"));
        return index;
    }
}
