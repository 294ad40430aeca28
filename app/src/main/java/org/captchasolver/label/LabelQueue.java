package org.captchasolver.label;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.captchasolver.common.CaptchaException;
import org.captchasolver.dataset.ImageFiles;
import org.captchasolver.solve.CaptchaSolver;
import org.captchasolver.solve.Solution;
import org.captchasolver.util.Csv;
import org.captchasolver.util.Progress;

/**
 * The images a person is asked about, in order: by default every image of the folder without a label, the
 * least confident reading first (by name without a model); or the files a CSV lists (such as
 * {@code captcha audit}'s suspects), in its order, labelled or not.
 */
public final class LabelQueue {
    /**
     * One image to label.
     *
     * @param file       its path under the folder, with forward slashes
     * @param guess      the model's reading ("" without a model)
     * @param confidence the reading's confidence, 0 without a model
     */
    public record Item(String file, String guess, double confidence) {}

    private LabelQueue() {}

    /**
     * @param root   the folder of images
     * @param store  its labels: images with one are left out unless {@code list} names them
     * @param solver reads each image to pre-fill the answer; null for none
     * @param list   a CSV with a {@code file} column to walk in its order; null for the folder's unlabelled images
     * @throws CaptchaException when {@code list} has no {@code file} column or names a file that is not in the folder
     */
    public static List<Item> build(Path root, LabelStore store, CaptchaSolver solver, Path list) throws IOException {
        List<String> files = list != null ? listed(root, list) : unlabelled(root, store);
        List<Item> items = new ArrayList<>(files.size());
        try (Progress bar = Progress.bar("reading", files.size(), "img")) {
            for (int start = 0; start < files.size(); start += CaptchaSolver.BATCH) {
                List<String> chunk = files.subList(start, Math.min(files.size(), start + CaptchaSolver.BATCH));
                items.addAll(read(root, chunk, solver));
                bar.step(chunk.size());
            }
        }
        if (list == null && solver != null) {
            items.sort(Comparator.comparingDouble(Item::confidence).thenComparing(Item::file));
        }
        return items;
    }

    private static List<Item> read(Path root, List<String> files, CaptchaSolver solver) {
        List<Item> out = new ArrayList<>(files.size());
        for (String f : files) {
            if (solver == null) {
                out.add(new Item(f, "", 0));
                continue;
            }
            try {
                Solution s = solver.solve(root.resolve(f));
                out.add(new Item(f, s.text(), s.confidence()));
            } catch (IOException | RuntimeException e) { // an unreadable image is still shown, without a guess
                out.add(new Item(f, "", 0));
            }
        }
        return out;
    }

    private static List<String> unlabelled(Path root, LabelStore store) throws IOException {
        try (Stream<ImageFiles.Found> found = ImageFiles.scan(root)) {
            return found.filter(f -> f.problem() == null).map(ImageFiles.Found::relative)
                    .filter(r -> store.get(r) == null).sorted().toList();
        }
    }

    private static List<String> listed(Path root, Path csv) throws IOException {
        Map<String, Boolean> files = new LinkedHashMap<>();
        int[] col = {0};
        Csv.read(csv, header -> col[0] = Csv.column(header, "file", csv), row -> {
            if (row.length > col[0] && !row[col[0]].isBlank()) {
                files.put(row[col[0]].trim().replace('\\', '/'), true);
            }
        });
        for (String f : files.keySet()) {
            if (!java.nio.file.Files.isRegularFile(root.resolve(f))) {
                throw new CaptchaException(csv + " lists " + f + ", which is not a file under " + root
                        + ": pass the folder the list was made for");
            }
        }
        return List.copyOf(files.keySet());
    }
}
