package org.captchasolver.dataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.captchasolver.model.LabelRules;

/**
 * Applies {@link LabelRules} to file names. One implementation, used by the local index and by
 * the Spark index, so the two can never disagree.
 */
public final class Labeler implements java.io.Serializable {

    /** A label, or why there is none. Exactly one of the two is non-null. */
    public record Outcome(String label, SkipReason reason, String detail) implements java.io.Serializable {
        static Outcome ok(String label) {
            return new Outcome(label, null, null);
        }

        static Outcome skip(SkipReason reason, String detail) {
            return new Outcome(null, reason, detail);
        }

        public boolean accepted() {
            return label != null;
        }
    }

    // Plain fields only (LabelRules holds a Path): a Labeler is shipped to Spark executors as it is.
    private final String regex;
    private final boolean lowercase;
    private final int maxLength;
    private final String charset;
    private final java.util.HashMap<String, String> manifest;
    private transient Pattern pattern;

    private Labeler(LabelRules rules, Map<String, String> manifest) {
        this.regex = rules.regex();
        this.lowercase = rules.lowercase();
        this.maxLength = rules.maxLength();
        this.charset = rules.charset();
        this.manifest = manifest == null ? null : new java.util.HashMap<>(manifest);
    }

    /** Loads the manifest named by the rules, or {@code labels.csv} in {@code root} when present. */
    public static Labeler create(LabelRules rules, Path root) throws IOException {
        Path m = rules.manifest();
        if (m == null && root != null && rules.regex() == null) {
            Path auto = root.resolve(LabelManifest.FILE_NAME);
            if (Files.isRegularFile(auto)) {
                m = auto;
            }
        }
        Map<String, String> manifest = m == null ? null : LabelManifest.read(m);
        return new Labeler(rules, manifest);
    }

    /** For callers that already hold the manifest (Spark ships it to executors this way). */
    public static Labeler of(LabelRules rules, Map<String, String> manifest) {
        return new Labeler(rules, manifest);
    }

    public boolean usesManifest() {
        return manifest != null;
    }

    public Map<String, String> manifest() {
        return manifest;
    }

    /** @param relativePath path below the dataset root, with forward slashes */
    public Outcome label(String relativePath) {
        String raw;
        if (manifest != null) {
            raw = manifest.get(relativePath);
            if (raw == null) {
                return Outcome.skip(SkipReason.NO_LABEL, "not listed in the manifest");
            }
        } else {
            String name = relativePath.substring(relativePath.lastIndexOf('/') + 1);
            int dot = name.lastIndexOf('.');
            String stem = dot > 0 ? name.substring(0, dot) : name;
            if (regex != null) {
                if (pattern == null) {
                    pattern = Pattern.compile(regex);
                }
                Matcher mm = pattern.matcher(stem);
                if (!mm.find() || mm.group(1) == null) {
                    return Outcome.skip(SkipReason.NO_LABEL_MATCH, "'" + stem + "' does not match " + regex);
                }
                raw = mm.group(1);
            } else {
                raw = stem;
            }
        }
        String label = lowercase ? raw.toLowerCase(Locale.ROOT) : raw;
        if (label.isEmpty()) {
            return Outcome.skip(SkipReason.LABEL_EMPTY, "empty label");
        }
        if (label.length() > maxLength) {
            return Outcome.skip(SkipReason.LABEL_TOO_LONG,
                    "'" + label + "' has " + label.length() + " characters, max is " + maxLength);
        }
        if (charset != null) {
            for (int i = 0; i < label.length(); i++) {
                if (charset.indexOf(label.charAt(i)) < 0) {
                    return Outcome.skip(SkipReason.CHAR_OUTSIDE_CHARSET,
                            "'" + label + "' has '" + label.charAt(i) + "', not in the charset");
                }
            }
        }
        return Outcome.ok(label);
    }
}
