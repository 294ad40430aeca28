package org.captchasolver.image;

/** The tensor a model takes: channels (1 = grayscale, 3 = RGB), height and width in pixels. */
public record InputShape(int channels, int height, int width) {
    public InputShape {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
        }
        if (height < 8 || width < 8) {
            throw new IllegalArgumentException("input must be at least 8x8, got " + width + "x" + height);
        }
    }

    public int size() {
        return channels * height * width;
    }
}
