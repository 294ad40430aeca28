package org.captchasolver.label;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import org.captchasolver.common.AtomicFiles;
import org.captchasolver.dataset.LabelManifest;

/**
 * The labels of a folder, kept in its {@code labels.csv} (the file {@code captcha index} and {@code train} read).
 * Every answer rewrites the whole file atomically (a temporary file renamed over it), so a crash or a kill leaves
 * either the file before the answer or the one after, never a torn one. Thread-safe.
 */
public final class LabelStore {
    private final Path file;
    private final Map<String, String> labels = new LinkedHashMap<>();

    private LabelStore(Path file) {
        this.file = file;
    }

    /**
     * Opens the labels in {@code file}, or none if it does not exist yet.
     *
     * @throws IOException when it exists and cannot be read; a malformed file is named in the error
     */
    public static LabelStore open(Path file) throws IOException {
        LabelStore store = new LabelStore(file);
        removeStaleTemporaries(file);
        if (Files.exists(file)) {
            store.labels.putAll(new java.util.TreeMap<>(LabelManifest.read(file)));
        }
        return store;
    }

    /** A process killed while writing leaves its temporary file ({@link AtomicFiles#write}) beside the labels. */
    private static void removeStaleTemporaries(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> stale = Files.newDirectoryStream(dir, "." + file.getFileName() + ".*.tmp")) {
            for (Path p : stale) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** The file the labels are written to. */
    public Path file() {
        return file;
    }

    /** The label of {@code relative} (a path under the folder, with forward slashes), or null. */
    public synchronized String get(String relative) {
        return labels.get(relative);
    }

    /** How many images are labelled. */
    public synchronized int size() {
        return labels.size();
    }

    /**
     * Records a label and writes the file before returning.
     *
     * @throws IllegalArgumentException when the label is empty or holds a line break
     * @throws IOException when the file cannot be written; the previous file is then still in place
     */
    public synchronized void put(String relative, String label) throws IOException {
        if (label.isBlank() || label.indexOf('\n') >= 0 || label.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("a label must be one line of text, got '" + label + "'");
        }
        String before = labels.put(relative, label);
        try {
            LabelManifest.write(file, new ArrayList<>(labels.entrySet()));
        } catch (IOException e) {
            if (before == null) { // memory agrees with the file that is still in place
                labels.remove(relative);
            } else {
                labels.put(relative, before);
            }
            throw e;
        }
    }
}
