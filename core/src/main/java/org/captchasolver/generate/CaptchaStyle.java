package org.captchasolver.generate;

import java.util.Locale;

/** The built-in looks of the synthetic generator. */
public enum CaptchaStyle {
    /** Dark text on a light background, crossed by noise lines and speckles. */
    CLEAN,
    /** Rotated, overlapping, translucent glyphs, each in a hue unlike its neighbour's, on a gradient with a blotchy texture. */
    COLORFUL,
    /** Text bent by a sine warp, with dots and arcs drawn over it. */
    WARPED;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static CaptchaStyle parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown style '" + s + "': use clean, colorful or warped");
        }
    }
}
