package org.captchasolver.image;

/**
 * The tensor a model takes: channels (1 = grayscale, 3 = RGB), height and width in pixels, and how an
 * image is resized to it. A model must see its inputs resized the way it was trained, so the
 * resampling travels with the shape into model.json; shapes read from bundles written before it
 * existed say {@link Resampling#BILINEAR}, new ones {@link Resampling#ANTIALIASED}.
 */
public record InputShape(int channels, int height, int width, Resampling resampling) {

    /** How an image is brought to the input's size. */
    public enum Resampling {
        /** Java2D's bilinear drawImage: reads the 4 source pixels nearest each output pixel (bundles written before antialiased resizing). */
        BILINEAR,
        /** A triangle filter widened with the scale, so every source pixel counts ({@link Resampler}). */
        ANTIALIASED
    }

    public InputShape {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
        }
        if (height < 8 || width < 8) {
            throw new IllegalArgumentException("input must be at least 8x8, got " + width + "x" + height);
        }
        if (resampling == null) {
            resampling = Resampling.BILINEAR;
        }
    }

    /** A shape for a new model: antialiased resizing. */
    public InputShape(int channels, int height, int width) {
        this(channels, height, width, Resampling.ANTIALIASED);
    }

    /** Floats in one image's tensor: channels x height x width. */
    public int size() {
        return channels * height * width;
    }

    /** As {@code --input} takes it and {@link #parse} reads it: channels x height x width, e.g. {@code 3x48x128}. */
    public String text() {
        return channels + "x" + height + "x" + width;
    }

    /** Reads {@link #text}'s form, in either case ({@code 3X48X128} too). */
    public static InputShape parse(String s) {
        String[] p = s.toLowerCase(java.util.Locale.ROOT).split("x");
        try {
            if (p.length == 3) {
                return new InputShape(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]));
            }
        } catch (NumberFormatException e) {
            // the message below says what is expected
        }
        throw new IllegalArgumentException("--input takes CxHxW like 3x48x128, got '" + s + "'");
    }
}
