package org.captchasolver.generate;

import java.util.List;

/**
 * What {@code captcha generate} makes. The default charset leaves out characters that are hard
 * to tell apart even for people: 0/O/o, 1/l/I/i, upper-case letters whose lower case has the
 * same shape (C K O P S U V W X Y Z), and J, which is a j whose dot a neighbour hides (each glyph
 * is centred on its own box, so no baseline tells them apart), so that a perfect reader can reach 100%.
 */
public record GeneratorConfig(
        int count,
        List<CaptchaStyle> styles,
        String charset,
        int minLength,
        int maxLength,
        int width,
        int height,
        long seed) {

    public static final String DEFAULT_CHARSET = "23456789abcdefghjkmnpqrstuvwxyzABDEFGHLMNQRT";

    public GeneratorConfig {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1");
        }
        if (styles == null || styles.isEmpty()) {
            throw new IllegalArgumentException("at least one style is needed");
        }
        styles = List.copyOf(styles);
        if (charset == null || charset.isEmpty()) {
            throw new IllegalArgumentException("charset must not be empty");
        }
        if (charset.codePoints().distinct().count() != charset.length()) {
            throw new IllegalArgumentException("charset has repeated characters: " + charset);
        }
        if (minLength < 1 || maxLength < minLength) {
            throw new IllegalArgumentException("length range must be 1 <= min <= max, got " + minLength + "-" + maxLength);
        }
        if (width < 40 || height < 20) {
            throw new IllegalArgumentException("image must be at least 40x20, got " + width + "x" + height);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private int count = 1000;
        private List<CaptchaStyle> styles = List.of(CaptchaStyle.CLEAN);
        private String charset = DEFAULT_CHARSET;
        private int minLength = 4;
        private int maxLength = 6;
        private int width = 200;
        private int height = 100;
        private long seed = 42;

        public Builder count(int v) { count = v; return this; }
        public Builder styles(List<CaptchaStyle> v) { styles = v; return this; }
        public Builder style(CaptchaStyle v) { styles = List.of(v); return this; }
        public Builder charset(String v) { charset = v; return this; }
        public Builder length(int min, int max) { minLength = min; maxLength = max; return this; }
        public Builder size(int w, int h) { width = w; height = h; return this; }
        public Builder seed(long v) { seed = v; return this; }

        public GeneratorConfig build() {
            return new GeneratorConfig(count, styles, charset, minLength, maxLength, width, height, seed);
        }
    }
}
