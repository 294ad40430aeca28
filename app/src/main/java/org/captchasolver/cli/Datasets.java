package org.captchasolver.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.captchasolver.common.CaptchaException;
import org.captchasolver.dataset.DatasetIndex;
import org.captchasolver.dataset.DatasetIndexer;

/** Indexing as the commands do it: build, save, and tell the user what was kept and what was skipped. */
final class Datasets {
    private Datasets() {}

    /** Opens an index folder as is, or indexes a data folder into {@code indexDir}. */
    static DatasetIndex open(Path data, LabelOptions labels, Path indexDir, PrintStream out) throws IOException {
        if (!Files.exists(data)) {
            throw new CaptchaException(data + " does not exist: pass --data with a folder of labelled images");
        }
        if (DatasetIndex.isIndexFolder(data)) {
            if (labels.changedFromDefaults()) {
                System.err.println("warning: " + data + " is an index folder: its labels and split are used as they are;"
                        + " labelling, split and --limit options apply only when indexing an image folder");
            }
            DatasetIndex index = DatasetIndex.read(data);
            out.printf("Using index %s: %d images%n", data, index.entries().size());
            return index;
        }
        long t0 = System.nanoTime();
        DatasetIndex index = index(data, labels, indexDir);
        index.write(indexDir);
        double s = (System.nanoTime() - t0) / 1e9;
        report(index, indexDir, s, out);
        return index;
    }

    /** Indexes a folder; when every file is skipped, the list of why is written to {@code indexDir} before the error. */
    static DatasetIndex index(Path data, LabelOptions labels, Path indexDir) throws IOException {
        try {
            return new DatasetIndexer(labels.indexOptions()).index(data);
        } catch (org.captchasolver.dataset.NoUsableImagesException e) {
            throw e.writtenTo(indexDir);
        }
    }

    static void report(DatasetIndex index, Path indexDir, double seconds, PrintStream out) {
        var sum = index.summary();
        out.printf("Indexed %s in %.1f s: %d images kept, %d skipped; split %s = %s; alphabet (%d) %s%n",
                sum.dataRoot(), seconds, sum.images(), sum.skipped(), sum.splitRatios(), sum.splitSizes(),
                index.alphabet().size(), index.alphabet().chars());
        if (sum.skipped() > 0) {
            StringBuilder sb = new StringBuilder();
            for (Map.Entry<String, Integer> e : sum.skippedByReason().entrySet()) {
                sb.append(sb.length() == 0 ? "" : ", ").append(e.getKey()).append('=').append(e.getValue());
            }
            out.printf("Skipped: %s (list: %s)%n", sb, indexDir.resolve(DatasetIndex.SKIPPED_CSV));
        }
        out.printf("Index written to %s%n", indexDir);
    }

    static String nameOf(Path data) {
        Path n = data.toAbsolutePath().normalize().getFileName();
        return n == null ? "data" : n.toString();
    }
}
