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
    VARIABLE,
    /**
     * A different look and size for every image, for pre-training a recogniser that has seen many schemes: 25-80 px
     * high and 80-250 px wide (2-5 times as wide as high); glyphs from every installed font family, plain, bold or
     * italic, filled, outlined or both, spread, touching or overlapping; plain, gradient, grid, striped, noisy or
     * blotchy backgrounds, sometimes light text on dark; crossing lines, dots, a sine warp; a quarter in grey.
     */
    MIXED;

    /** The styles whose images all have the configured size: what the demo and the benchmarks generate. */
    public static final java.util.List<CaptchaStyle> FIXED_SIZE = java.util.List.of(CLEAN, COLORFUL, WARPED);

    /** The width of an image of {@code length} characters: the configured one, or for {@link #VARIABLE} its own. */
    public int widthFor(int length, int configuredWidth, int height) {
        return this == VARIABLE ? Math.max(2 * height, (int) Math.round(height * (1.5 * length - 2.9))) : configuredWidth;
    }

    /**
     * The size of one image of {@code length} characters, {width, height}: the configured one, {@link #VARIABLE}'s
     * width for its length, or for {@link #MIXED} one drawn from {@code rnd} (which this call advances only then).
     */
    public int[] sizeFor(int length, int configuredWidth, int configuredHeight, java.util.Random rnd) {
        if (this != MIXED) {
            return new int[] {widthFor(length, configuredWidth, configuredHeight), configuredHeight};
        }
        int height = 25 + rnd.nextInt(56);
        double perChar = height * (0.45 + 0.4 * rnd.nextDouble());
        int width = (int) Math.round(perChar * length + height * 0.5 * rnd.nextDouble());
        width = Math.max(80, Math.max(2 * height, Math.min(250, Math.min(5 * height, width))));
        return new int[] {width, height};
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static CaptchaStyle parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown style '" + s + "': use clean, colorful, warped, variable or mixed");
        }
    }
}
