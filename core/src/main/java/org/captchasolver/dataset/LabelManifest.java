package org.captchasolver.dataset;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.captchasolver.common.CaptchaException;
import org.captchasolver.util.Csv;

/** A {@code labels.csv} with columns {@code file,label}; file paths are relative to the dataset root. */
public final class LabelManifest {
    public static final String FILE_NAME = "labels.csv";

    private LabelManifest() {}

    public static void write(Path file, List<Map.Entry<String, String>> rows) throws IOException {
        Csv.write(file, List.of("file", "label"), sink -> rows.forEach(e -> sink.accept(List.of(e.getKey(), e.getValue()))));
    }

    /** Maps relative file path (with forward slashes) to label. */
    public static Map<String, String> read(Path file) throws IOException {
        Map<String, String> labels = new HashMap<>();
        int[] cols = new int[2];
        Csv.read(file, header -> {
            cols[0] = Csv.column(header, "file", file);
            cols[1] = Csv.column(header, "label", file);
        }, row -> {
            if (row.length <= Math.max(cols[0], cols[1])) {
                throw new CaptchaException(file + ": row '" + String.join(",", row) + "' needs a file and a label");
            }
            labels.put(row[cols[0]].trim().replace('\\', '/'), row[cols[1]]);
        });
        return labels;
    }
}
