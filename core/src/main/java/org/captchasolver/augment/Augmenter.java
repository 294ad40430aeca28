package org.captchasolver.augment;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.captchasolver.image.ImageTensors;
import org.captchasolver.image.InputShape;
import org.captchasolver.image.Resampler;

/** Applies an {@link Augmentation} while converting an image to the model's CHW floats. */
public final class Augmenter {
    private final Augmentation aug;
    private final InputShape shape;

    public Augmenter(Augmentation aug, InputShape shape) {
        this.aug = aug;
        this.shape = shape;
    }

    /**
     * @param seed the image's own seed: the same seed gives the same augmented image, whichever
     *     thread or order it is made in
     */
    public void toChw(BufferedImage src, float[] out, int offset, long seed) {
        if (aug.isNone()) {
            ImageTensors.toChw(src, shape, out, offset);
            return;
        }
        // A Java 17 generator, not java.util.Random: its nextGaussian is a ziggurat, where Random's locked
        // polar method made the per-pixel noise 85% of the augmentation's time (docs/performance.md, "Data").
        RandomGenerator rnd = new SplittableRandom(seed);
        // Antialiased inputs are shrunk first and jittered at 1:1 (one bilinear rotate-and-shrink would skip
        // thin strokes); bilinear ones keep the single step they were trained with.
        boolean shrinkFirst = !aug.hasAffine() || shape.resampling() == InputShape.Resampling.ANTIALIASED;
        BufferedImage small = shrinkFirst ? Resampler.resize(src, shape.width(), shape.height(), shape.resampling()) : src;
        BufferedImage img = aug.hasAffine() ? affine(small, rnd) : small;
        int[] px = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
        int n = px.length;
        float[] r = new float[n];
        float[] g = new float[n];
        float[] b = new float[n];
        final float k = 1f / 255f;
        for (int i = 0; i < n; i++) {
            int p = px[i];
            r[i] = ((p >> 16) & 0xff) * k;
            g[i] = ((p >> 8) & 0xff) * k;
            b[i] = (p & 0xff) * k;
        }
        float delta = uniform(rnd, -aug.brightness(), aug.brightness());
        float contrast = uniform(rnd, aug.contrastLow(), aug.contrastHigh());
        float saturation = uniform(rnd, aug.saturationLow(), aug.saturationHigh());
        // Order as in the seed: brightness, contrast (about each channel's mean), saturation.
        addInPlace(r, delta);
        addInPlace(g, delta);
        addInPlace(b, delta);
        contrast(r, contrast);
        contrast(g, contrast);
        contrast(b, contrast);
        int plane = n;
        for (int i = 0; i < n; i++) {
            float gray = 0.299f * r[i] + 0.587f * g[i] + 0.114f * b[i];
            float rr = gray + (r[i] - gray) * saturation;
            float gg = gray + (g[i] - gray) * saturation;
            float bb = gray + (b[i] - gray) * saturation;
            if (shape.channels() == 3) {
                out[offset + i] = clip(rr + noise(rnd));
                out[offset + plane + i] = clip(gg + noise(rnd));
                out[offset + 2 * plane + i] = clip(bb + noise(rnd));
            } else {
                out[offset + i] = clip(0.299f * rr + 0.587f * gg + 0.114f * bb + noise(rnd));
            }
        }
    }

    private float noise(RandomGenerator rnd) {
        return aug.noiseStd() == 0 ? 0 : (float) rnd.nextGaussian() * aug.noiseStd();
    }

    private BufferedImage affine(BufferedImage src, RandomGenerator rnd) {
        int w = shape.width();
        int h = shape.height();
        BufferedImage dst = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = dst.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setColor(edgeColor(src));
            g.fillRect(0, 0, w, h);
            double angle = Math.toRadians(uniform(rnd, -aug.rotationDegrees(), aug.rotationDegrees()));
            double scale = 1 + uniform(rnd, -aug.scaleJitter(), aug.scaleJitter());
            double dx = uniform(rnd, -aug.shiftFraction(), aug.shiftFraction()) * w;
            double dy = uniform(rnd, -aug.shiftFraction(), aug.shiftFraction()) * h;
            AffineTransform t = new AffineTransform();
            t.translate(w / 2.0 + dx, h / 2.0 + dy);
            t.rotate(angle);
            t.scale(scale, scale);
            t.translate(-w / 2.0, -h / 2.0);
            t.scale(w / (double) src.getWidth(), h / (double) src.getHeight());
            g.drawImage(src, t, null);
        } finally {
            g.dispose();
        }
        return dst;
    }

    /** Fills uncovered corners with the image's own background rather than a colour it never has. */
    private static Color edgeColor(BufferedImage src) {
        int p = src.getRGB(0, 0);
        int alpha = (p >>> 24);
        return alpha < 128 ? Color.WHITE : new Color(p | 0xff000000, false);
    }

    private static void addInPlace(float[] a, float d) {
        if (d == 0) {
            return;
        }
        for (int i = 0; i < a.length; i++) {
            a[i] += d;
        }
    }

    private static void contrast(float[] a, float c) {
        if (c == 1) {
            return;
        }
        double sum = 0;
        for (float v : a) {
            sum += v;
        }
        float mean = (float) (sum / a.length);
        for (int i = 0; i < a.length; i++) {
            a[i] = (a[i] - mean) * c + mean;
        }
    }

    private static float clip(float v) {
        return v < 0 ? 0 : (v > 1 ? 1 : v);
    }

    private static float uniform(RandomGenerator rnd, float lo, float hi) {
        return hi <= lo ? lo : lo + rnd.nextFloat() * (hi - lo);
    }
}
