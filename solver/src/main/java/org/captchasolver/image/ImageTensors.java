package org.captchasolver.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;

/**
 * Turns any decoded image into the model's input: resized to the input shape as the shape says, as
 * planar CHW floats in [0,1], RGB or luminance. One code path for training, evaluation and solving,
 * so that a model sees exactly the same pixels in all three.
 */
public final class ImageTensors {
    private ImageTensors() {}

    /** Writes the image into {@code out} at {@code offset}; returns the number of floats written. */
    public static int toChw(BufferedImage src, InputShape shape, float[] out, int offset) {
        BufferedImage rgb = (src.getType() == BufferedImage.TYPE_INT_RGB
                        && src.getWidth() == shape.width() && src.getHeight() == shape.height())
                ? src
                : Resampler.resize(src, shape.width(), shape.height(), shape.resampling());
        int[] px = ((DataBufferInt) rgb.getRaster().getDataBuffer()).getData();
        int plane = shape.width() * shape.height();
        final float k = 1f / 255f;
        if (shape.channels() == 3) {
            for (int i = 0; i < plane; i++) {
                int p = px[i];
                out[offset + i] = ((p >> 16) & 0xff) * k;
                out[offset + plane + i] = ((p >> 8) & 0xff) * k;
                out[offset + 2 * plane + i] = (p & 0xff) * k;
            }
        } else {
            for (int i = 0; i < plane; i++) {
                int p = px[i];
                out[offset + i] = (0.299f * ((p >> 16) & 0xff) + 0.587f * ((p >> 8) & 0xff) + 0.114f * (p & 0xff)) * k;
            }
        }
        return shape.size();
    }

    /** The image as a new array of CHW floats. */
    public static float[] toChw(BufferedImage src, InputShape shape) {
        float[] out = new float[shape.size()];
        toChw(src, shape, out, 0);
        return out;
    }
}
