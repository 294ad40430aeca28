package org.captchasolver.image;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.util.Arrays;

/**
 * Resizes an image with a triangle filter whose width follows the scale: when shrinking, every source
 * pixel contributes to the output (antialiased), when enlarging it is plain bilinear interpolation.
 * Java2D's bilinear {@code drawImage} reads only the four source pixels nearest each output pixel, so
 * shrinking a 200x100 CAPTCHA to 128x48 skips rows and columns: a one-pixel line keeps 0-200% of its
 * ink depending on where it lies, against 99-101% here, and thin strokes break up (docs/accuracy.md,
 * session 12). That bilinear path stays for models trained with it ({@link InputShape.Resampling}).
 * Separable, down the columns then along the rows, in fixed point. Transparent pixels are composited
 * onto white, as paper.
 */
public final class Resampler {
    private Resampler() {}

    /** Weights are fixed-point: the column pass keeps 8 fractional bits, so the row pass fits in an int. */
    private static final int COLUMN_BITS = 12;
    private static final int ROW_BITS = 14;
    private static final int KEPT_BITS = 8;

    /** The source pixels each output pixel reads along one axis, with their weights (summing to 1 << bits). */
    private record Taps(int src, int dst, int[] first, int[] count, int[] weights, int stride) {

        boolean fits(int from, int to) {
            return src == from && dst == to;
        }

        static Taps of(int src, int dst, int bits) {
            double scale = src / (double) dst;
            double radius = Math.max(1, scale);
            int stride = (int) Math.ceil(2 * radius) + 1;
            int[] first = new int[dst];
            int[] count = new int[dst];
            int[] weights = new int[dst * stride];
            double[] w = new double[stride];
            for (int i = 0; i < dst; i++) {
                double centre = (i + 0.5) * scale - 0.5;
                int lo = Math.max(0, (int) Math.ceil(centre - radius));
                int hi = Math.min(src - 1, (int) Math.floor(centre + radius));
                double sum = 0;
                int n = 0;
                for (int j = lo; j <= hi && n < stride; j++, n++) {
                    w[n] = Math.max(0, 1 - Math.abs(j - centre) / radius);
                    sum += w[n];
                }
                if (sum == 0) { // a destination pixel beyond every tap: take the nearest source pixel
                    lo = Math.min(src - 1, Math.max(0, (int) Math.round(centre)));
                    n = 1;
                    w[0] = 1;
                    sum = 1;
                }
                // Rounded so the weights sum exactly to one: a flat colour stays exactly that colour.
                int total = 1 << bits;
                int given = 0;
                int largest = 0;
                for (int k = 0; k < n; k++) {
                    weights[i * stride + k] = (int) Math.round(w[k] / sum * total);
                    given += weights[i * stride + k];
                    if (w[k] > w[largest]) {
                        largest = k;
                    }
                }
                weights[i * stride + largest] += total - given;
                first[i] = lo;
                count[i] = n;
            }
            return new Taps(src, dst, first, count, weights, stride);
        }
    }

    /**
     * Per thread: scratch rows, so a loader thread does not allocate and clear ~350 KB per image, kept
     * only up to 4M values (16 MB) so one huge image does not pin its buffers for the thread's life;
     * and the last taps of each axis, since the images of a dataset mostly share one size.
     */
    private static final class Scratch {
        int[] in = new int[0];
        int[] tall = new int[0];
        Taps down;
        Taps across;
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);
    private static final int SCRATCH_KEPT = 4 << 20;

    /** Resizes as {@code how} says: {@link InputShape.Resampling#BILINEAR} is kept for models trained with it. */
    public static BufferedImage resize(BufferedImage src, int width, int height, InputShape.Resampling how) {
        return how == InputShape.Resampling.BILINEAR ? bilinear(src, width, height) : resize(src, width, height);
    }

    /** Java2D's bilinear scaling onto a white canvas (transparent pixels read as paper); at 1:1 a plain copy. */
    static BufferedImage bilinear(BufferedImage src, int width, int height) {
        BufferedImage dst = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = dst.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_SPEED);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.drawImage(src, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        return dst;
    }

    /** Antialiased resizing (the class comment); an image already at the size comes back as it is, as opaque RGB. */
    public static BufferedImage resize(BufferedImage src, int width, int height) {
        int sw = src.getWidth();
        int sh = src.getHeight();
        if (sw == width && sh == height) {
            return opaque(src);
        }
        int line = 3 * sw; // a row as interleaved blue, green, red values
        Scratch scratch = SCRATCH.get();
        int[] in = line * sh > SCRATCH_KEPT ? new int[line * sh] : (scratch.in = grown(scratch.in, line * sh));
        int[] tall = line * height > SCRATCH_KEPT ? new int[line * height] : (scratch.tall = grown(scratch.tall, line * height));
        if (scratch.down == null || !scratch.down.fits(sh, height)) {
            scratch.down = Taps.of(sh, height, COLUMN_BITS);
        }
        if (scratch.across == null || !scratch.across.fits(sw, width)) {
            scratch.across = Taps.of(sw, width, ROW_BITS);
        }
        Taps down = scratch.down;
        Taps across = scratch.across;
        readRows(src, in);
        // Down the columns first, over whole rows at a time; the row pass, which reads a few scattered
        // values per output pixel, then runs over the fewer output rows.
        int shift = COLUMN_BITS - KEPT_BITS;
        for (int y = 0; y < height; y++) {
            int o = y * line;
            Arrays.fill(tall, o, o + line, 0);
            for (int k = 0; k < down.count[y]; k++) {
                int w = down.weights[y * down.stride + k];
                int base = (down.first[y] + k) * line;
                for (int i = 0; i < line; i++) {
                    tall[o + i] += in[base + i] * w;
                }
            }
            for (int i = 0; i < line; i++) {
                tall[o + i] >>= shift;
            }
        }
        BufferedImage dst = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] out = ((DataBufferInt) dst.getRaster().getDataBuffer()).getData();
        int bits = ROW_BITS + KEPT_BITS;
        int half = 1 << (bits - 1);
        for (int y = 0; y < height; y++) {
            int row = y * line;
            for (int x = 0; x < width; x++) {
                int sb = half;
                int sg = half;
                int sr = half;
                int at = row + 3 * across.first[x];
                int base = x * across.stride;
                for (int k = 0; k < across.count[x]; k++, at += 3) {
                    int w = across.weights[base + k];
                    sb += tall[at] * w;
                    sg += tall[at + 1] * w;
                    sr += tall[at + 2] * w;
                }
                out[y * width + x] = (channel(sr >> bits) << 16) | (channel(sg >> bits) << 8) | channel(sb >> bits);
            }
        }
        return dst;
    }

    private static int[] grown(int[] kept, int size) {
        return kept.length >= size ? kept : new int[size];
    }

    private static int channel(int v) {
        return v < 0 ? 0 : Math.min(255, v);
    }

    /** Fills {@code rows} with blue, green, red (0-255) per pixel; 3-byte BGR, what decoders give most, is read as is. */
    private static void readRows(BufferedImage src, int[] rows) {
        int n = src.getWidth() * src.getHeight();
        if (src.getType() == BufferedImage.TYPE_3BYTE_BGR && src.getRaster().getDataBuffer() instanceof DataBufferByte db
                && db.getNumBanks() == 1 && db.getOffset() == 0 && db.getData().length == 3 * n
                && src.getRaster().getSampleModelTranslateX() == 0 && src.getRaster().getSampleModelTranslateY() == 0) {
            byte[] bgr = db.getData();
            for (int i = 0; i < 3 * n; i++) {
                rows[i] = bgr[i] & 0xff;
            }
            return;
        }
        int[] px = ((DataBufferInt) opaque(src).getRaster().getDataBuffer()).getData();
        for (int i = 0; i < n; i++) {
            int p = px[i];
            rows[3 * i] = p & 0xff;
            rows[3 * i + 1] = (p >> 8) & 0xff;
            rows[3 * i + 2] = (p >> 16) & 0xff;
        }
    }

    /** The image as opaque packed RGB: itself when it is one already, else drawn onto white. */
    private static BufferedImage opaque(BufferedImage src) {
        int w = src.getWidth();
        int h = src.getHeight();
        if (src.getType() == BufferedImage.TYPE_INT_RGB && src.getRaster().getDataBuffer() instanceof DataBufferInt db
                && db.getNumBanks() == 1 && db.getOffset() == 0 && db.getData().length == w * h
                && src.getRaster().getSampleModelTranslateX() == 0 && src.getRaster().getSampleModelTranslateY() == 0) {
            return src;
        }
        // Java2D's blit loops convert any layout (3-byte BGR, palette, grey, with alpha) far faster than getRGB.
        return bilinear(src, w, h);
    }
}
