package org.captchasolver.image;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;

/**
 * Resizes an image with a triangle filter whose width follows the scale: when shrinking, every source
 * pixel contributes to the output (antialiased), when enlarging it is plain bilinear interpolation.
 * Java2D's bilinear {@code drawImage} reads only the four source pixels nearest each output pixel, so
 * shrinking a 200x100 CAPTCHA to 128x48 skips rows and columns: a one-pixel line keeps 0-200% of its
 * ink depending on where it lies, against 99-101% here, and thin strokes break up (docs/accuracy.md,
 * "Antialiased resizing"). That bilinear path stays for models trained with it ({@link InputShape.Resampling}).
 * Separable, in fixed point: each output row is first summed down the source rows it covers, then
 * filtered along the row. Transparent pixels are composited onto white, as paper, or onto black where the image
 * shows light glyphs ({@link #backdrop}).
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
     * Per thread: the source rows the filter currently reads (a ring as tall as the vertical filter,
     * since each output row reads a window of source rows that only moves down), one output row
     * before the horizontal pass, and the last taps of each axis, as the images of a dataset mostly
     * share one size. Kept only up to {@link #SCRATCH_KEPT} values so one huge image does not pin its
     * buffers for the thread's life.
     */
    private static final class Scratch {
        int[][] ring = new int[0][];
        int[] line = new int[0];
        byte[] bytes = new byte[0];
        Taps down;
        Taps across;

        /** Buffers for rows of {@code length} values, {@code rows} of them in the ring. */
        Scratch sized(int rows, int length) {
            Scratch s = (long) rows * length > SCRATCH_KEPT ? new Scratch() : this;
            if (s.ring.length < rows || s.line.length < length) {
                s.ring = new int[rows][length];
                s.line = new int[length];
                s.bytes = new byte[length];
            }
            return s;
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);
    private static final int SCRATCH_KEPT = 1 << 18;

    /** Resizes as {@code how} says: {@link InputShape.Resampling#BILINEAR} is kept for models trained with it. */
    public static BufferedImage resize(BufferedImage src, int width, int height, InputShape.Resampling how) {
        return how == InputShape.Resampling.BILINEAR ? bilinear(src, width, height) : resize(src, width, height);
    }

    /** Java2D's bilinear scaling onto the {@link #backdrop} (transparent pixels read as paper); at 1:1 a plain copy. */
    static BufferedImage bilinear(BufferedImage src, int width, int height) {
        BufferedImage dst = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = dst.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_SPEED);
            g.setColor(backdrop(src));
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
        Scratch cache = SCRATCH.get();
        if (cache.down == null || !cache.down.fits(sh, height)) {
            cache.down = Taps.of(sh, height, COLUMN_BITS);
        }
        if (cache.across == null || !cache.across.fits(sw, width)) {
            cache.across = Taps.of(sw, width, ROW_BITS);
        }
        Taps down = cache.down;
        Taps across = cache.across;
        int length = 3 * sw; // a row as interleaved blue, green, red values
        Scratch scratch = cache.sized(down.stride, length);
        RowReader reader = RowReader.of(src, scratch.bytes);
        BufferedImage dst = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] out = ((DataBufferInt) dst.getRaster().getDataBuffer()).getData();
        int[][] ring = scratch.ring;
        int[] line = scratch.line;
        int ringRows = down.stride;
        int read = 0; // source rows below this one are in the ring (those still needed, at least)
        for (int y = 0; y < height; y++) {
            int first = down.first[y];
            int count = down.count[y];
            for (int r = Math.max(read, first); r < first + count; r++) {
                reader.read(r, ring[r % ringRows]);
            }
            read = Math.max(read, first + count);
            // Every loop over a row indexes its arrays from 0 alike: C2 vectorises only those (JDK 17).
            int taps = y * down.stride;
            scaled(ring[first % ringRows], down.weights[taps], line, length);
            for (int k = 1; k < count; k++) {
                addScaled(ring[(first + k) % ringRows], down.weights[taps + k], line, length);
            }
            shiftRight(line, COLUMN_BITS - KEPT_BITS, length);
            across(line, across, out, y * width);
        }
        return dst;
    }

    /**
     * The horizontal pass over one row of kept values into packed RGB. No clamping: the weights are
     * non-negative and sum to one, so every sum stays within 0-255. The usual tap counts (3 and 4 when
     * shrinking by up to 2x) are written out, which takes a third off this pass against a loop over the taps.
     */
    private static void across(int[] line, Taps taps, int[] out, int offset) {
        int bits = ROW_BITS + KEPT_BITS;
        int half = 1 << (bits - 1);
        int[] weights = taps.weights;
        int[] first = taps.first;
        int[] count = taps.count;
        int stride = taps.stride;
        for (int x = 0; x < first.length; x++) {
            int at = 3 * first[x];
            int w = x * stride;
            int b = half;
            int g = half;
            int r = half;
            switch (count[x]) {
                case 3 -> {
                    int w0 = weights[w];
                    int w1 = weights[w + 1];
                    int w2 = weights[w + 2];
                    b += line[at] * w0 + line[at + 3] * w1 + line[at + 6] * w2;
                    g += line[at + 1] * w0 + line[at + 4] * w1 + line[at + 7] * w2;
                    r += line[at + 2] * w0 + line[at + 5] * w1 + line[at + 8] * w2;
                }
                case 4 -> {
                    int w0 = weights[w];
                    int w1 = weights[w + 1];
                    int w2 = weights[w + 2];
                    int w3 = weights[w + 3];
                    b += line[at] * w0 + line[at + 3] * w1 + line[at + 6] * w2 + line[at + 9] * w3;
                    g += line[at + 1] * w0 + line[at + 4] * w1 + line[at + 7] * w2 + line[at + 10] * w3;
                    r += line[at + 2] * w0 + line[at + 5] * w1 + line[at + 8] * w2 + line[at + 11] * w3;
                }
                default -> {
                    for (int k = 0; k < count[x]; k++, at += 3) {
                        int wk = weights[w + k];
                        b += line[at] * wk;
                        g += line[at + 1] * wk;
                        r += line[at + 2] * wk;
                    }
                }
            }
            out[offset + x] = ((r >> bits) << 16) | ((g >> bits) << 8) | (b >> bits);
        }
    }

    private static void scaled(int[] src, int weight, int[] dst, int n) {
        for (int i = 0; i < n; i++) {
            dst[i] = src[i] * weight;
        }
    }

    private static void addScaled(int[] src, int weight, int[] dst, int n) {
        for (int i = 0; i < n; i++) {
            dst[i] += src[i] * weight;
        }
    }

    private static void shiftRight(int[] values, int bits, int n) {
        for (int i = 0; i < n; i++) {
            values[i] >>= bits;
        }
    }

    /** Reads one source row as blue, green, red values (0-255); 3-byte BGR, what decoders give most, as it is. */
    private interface RowReader {
        void read(int row, int[] into);

        static RowReader of(BufferedImage src, byte[] bytes) {
            int w = src.getWidth();
            int n = w * src.getHeight();
            if (src.getType() == BufferedImage.TYPE_3BYTE_BGR && src.getRaster().getDataBuffer() instanceof DataBufferByte db
                    && db.getNumBanks() == 1 && db.getOffset() == 0 && db.getData().length == 3 * n
                    && src.getRaster().getSampleModelTranslateX() == 0 && src.getRaster().getSampleModelTranslateY() == 0) {
                byte[] bgr = db.getData();
                return (row, into) -> {
                    System.arraycopy(bgr, row * 3 * w, bytes, 0, 3 * w); // so that the widening loop runs from 0
                    for (int i = 0; i < 3 * w; i++) {
                        into[i] = bytes[i] & 0xff;
                    }
                };
            }
            int[] px = ((DataBufferInt) opaque(src).getRaster().getDataBuffer()).getData();
            return (row, into) -> {
                for (int x = 0, at = row * w; x < w; x++, at++) {
                    int p = px[at];
                    into[3 * x] = p & 0xff;
                    into[3 * x + 1] = (p >> 8) & 0xff;
                    into[3 * x + 2] = (p >> 16) & 0xff;
                }
            };
        }
    }

    /**
     * What transparent pixels become: white, as paper, unless what the image does show is light (its alpha-weighted
     * mean luminance above one half, such as pale glyphs on a transparent background), then black, so that the
     * glyphs keep their contrast. Every path to a model's input (training, evaluation, solving) composites here.
     */
    static Color backdrop(BufferedImage src) {
        if (!src.getColorModel().hasAlpha()) {
            return Color.WHITE;
        }
        int w = src.getWidth();
        int[] row = new int[w];
        double weight = 0;
        double light = 0;
        for (int y = 0; y < src.getHeight(); y++) {
            src.getRGB(0, y, w, 1, row, 0, w);
            for (int p : row) {
                double a = (p >>> 24) / 255.0;
                weight += a;
                light += a * (0.299 * ((p >> 16) & 0xff) + 0.587 * ((p >> 8) & 0xff) + 0.114 * (p & 0xff)) / 255.0;
            }
        }
        return weight > 0 && light / weight > 0.5 ? Color.BLACK : Color.WHITE;
    }

    /** The image as opaque packed RGB: itself when it is one already, else drawn onto its {@link #backdrop}. */
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
