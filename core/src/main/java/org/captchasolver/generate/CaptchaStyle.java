package org.captchasolver.generate;

import java.util.Locale;

/** The built-in looks of the synthetic generator. */
public enum CaptchaStyle {
    /** Dark text on a light background, crossed by noise lines and speckles. */
    CLEAN,
    /** Rotated, overlapping, translucent glyphs, each in a hue unlike its neighbour's, on a gradient with a blotchy texture. */
    COLORFUL,
    /** Text bent by a sine warp, with dots and arcs drawn over it. */
    WARPED,
    /**
     * Coloured glyphs on a transparent background, some struck through, in an image as high as the generator's
     * height and as wide as its text needs ({@link #widthFor}): a 4-character image at 80 px high is 248 px wide,
     * an 8-character one 728 px, as in public sets whose width grows with the label.
     */
    VARIABLE;

    /** The styles whose images all have the configured size: what the demo and the benchmarks generate. */
    public static final java.util.List<CaptchaStyle> FIXED_SIZE = java.util.List.of(CLEAN, COLORFUL, WARPED);

    /** The width of an image of {@code length} characters: the configured one, or for {@link #VARIABLE} its own. */
    public int widthFor(int length, int configuredWidth, int height) {
        return this == VARIABLE ? Math.max(2 * height, (int) Math.round(height * (1.5 * length - 2.9))) : configuredWidth;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static CaptchaStyle parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown style '" + s + "': use clean, colorful, warped or variable");
        }
    }
}
