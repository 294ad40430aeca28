package org.captchasolver.model;

import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * How a file's label is found, in this order: a manifest ({@code labels.csv} in the dataset root,
 * or an explicit file); else a regular expression with one capture group, applied to the file name
 * without its extension; else the file name without its extension.
 *
 * @param manifest explicit manifest, or null to use {@code labels.csv} in the root when present
 * @param regex    pattern with one group, or null
 * @param lowercase fold labels to lower case (for schemes that ignore case)
 * @param maxLength longest label kept
 * @param charset  fixed alphabet, or null to infer it from the labels
 */
public record LabelRules(Path manifest, String regex, boolean lowercase, int maxLength, String charset) {

    public static final int DEFAULT_MAX_LENGTH = 10;

    public LabelRules {
        if (maxLength < 1) {
            throw new IllegalArgumentException("--max-length must be at least 1, got " + maxLength);
        }
        if (regex != null) {
            Pattern p;
            try {
                p = Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("--label-regex is not a valid pattern: " + e.getDescription());
            }
            if (p.matcher("").groupCount() != 1) {
                throw new IllegalArgumentException("--label-regex must have exactly one capture group, e.g. '^(.+)_\\d+$'");
            }
        }
        if (charset != null && charset.isEmpty()) {
            charset = null;
        }
    }

    public static LabelRules defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().manifest(manifest).regex(regex).lowercase(lowercase).maxLength(maxLength).charset(charset);
    }

    public static final class Builder {
        private Path manifest;
        private String regex;
        private boolean lowercase;
        private int maxLength = DEFAULT_MAX_LENGTH;
        private String charset;

        public Builder manifest(Path v) { manifest = v; return this; }
        public Builder regex(String v) { regex = v; return this; }
        public Builder lowercase(boolean v) { lowercase = v; return this; }
        public Builder maxLength(int v) { maxLength = v; return this; }
        public Builder charset(String v) { charset = v; return this; }

        public LabelRules build() {
            return new LabelRules(manifest, regex, lowercase, maxLength, charset);
        }
    }
}
