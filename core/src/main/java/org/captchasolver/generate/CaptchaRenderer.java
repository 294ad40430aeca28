package org.captchasolver.generate;

import java.awt.AlphaComposite;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Shape;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.GraphicsEnvironment;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;

/** Draws one CAPTCHA image for a text, in a style, from a seeded random source. */
public final class CaptchaRenderer {

    private static final List<String> PREFERRED_FAMILIES = List.of(
            "DejaVu Sans", "DejaVu Serif", "DejaVu Sans Mono", "Liberation Sans", "Liberation Serif", "FreeSans");
    private static final List<String> FAMILIES = availableFamilies();
    /** Every installed family that draws all letters and digits, for {@link CaptchaStyle#MIXED}. */
    private static final List<String> ALL_FAMILIES = alphanumericFamilies();

    /** The sine warp moves pixels up to 5 across and 7 down; text kept this far in stays whole. */
    private static final double WARP_MARGIN = 8;
    private static final float INK_OPACITY = 0.75f;
    private static final float MIN_HUE_STEP = 0.2f;

    private final int width;
    private final int height;
    private final GlyphLayout layout;
    private final GlyphLayout anyFont;

    public CaptchaRenderer(int width, int height) {
        this.width = width;
        this.height = height;
        this.layout = new GlyphLayout(width, height, FAMILIES);
        this.anyFont = new GlyphLayout(width, height, ALL_FAMILIES, true);
    }

    /** The font families the fixed styles and {@code variable} draw with on this machine. */
    public static List<String> fontFamilies() {
        return FAMILIES;
    }

    /** The font families {@link CaptchaStyle#MIXED} draws with on this machine: every one that has letters and digits. */
    public static List<String> mixedFontFamilies() {
        return ALL_FAMILIES;
    }

    private static List<String> alphanumericFamilies() {
        String needed = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
        List<String> found = new ArrayList<>();
        for (String f : GraphicsEnvironment.getLocalGraphicsEnvironment().getAvailableFontFamilyNames(java.util.Locale.ROOT)) {
            // Logical names (Dialog, SansSerif, ...) alias installed families; symbol fonts map letters to pictures.
            boolean logical = Set.of(Font.DIALOG, Font.DIALOG_INPUT, Font.SANS_SERIF, Font.SERIF, Font.MONOSPACED).contains(f);
            String lower = f.toLowerCase(java.util.Locale.ROOT);
            boolean symbols = lower.contains("symbol") || lower.contains("dingbat") || lower.contains("emoji") || lower.contains("math")
                    || lower.equals("d050000l"); // URW's dingbats, under a name that does not say so
            if (!logical && !symbols && new Font(f, Font.PLAIN, 12).canDisplayUpTo(needed) == -1) {
                found.add(f);
            }
        }
        java.util.Collections.sort(found);
        return found.isEmpty() ? FAMILIES : List.copyOf(found);
    }

    private static List<String> availableFamilies() {
        Set<String> installed = Set.of(GraphicsEnvironment.getLocalGraphicsEnvironment().getAvailableFontFamilyNames());
        List<String> found = new ArrayList<>();
        for (String f : PREFERRED_FAMILIES) {
            if (installed.contains(f)) {
                found.add(f);
            }
        }
        if (found.isEmpty()) {
            found.addAll(List.of(Font.SANS_SERIF, Font.SERIF, Font.MONOSPACED)); // JDK logical fonts
        }
        return List.copyOf(found);
    }

    public BufferedImage render(String text, CaptchaStyle style, Random rnd) {
        BufferedImage img = new BufferedImage(width, height,
                style == CaptchaStyle.VARIABLE ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            switch (style) {
                case CLEAN -> clean(g, text, rnd);
                case COLORFUL -> colorful(g, text, rnd);
                case VARIABLE -> onTransparent(g, text, rnd);
                case MIXED -> mixed(g, img, text, rnd);
                case WARPED -> {
                    warpedBackground(g, rnd);
                    BufferedImage layer = textLayer(text, rnd);
                    warp(layer, img, rnd);
                    dotsAndArcs(g, rnd);
                }
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    private void clean(Graphics2D g, String text, Random rnd) {
        int shade = 225 + rnd.nextInt(31);
        g.setColor(new Color(shade, shade, Math.min(255, shade + rnd.nextInt(10))));
        g.fillRect(0, 0, width, height);
        Color ink = new Color(rnd.nextInt(70), rnd.nextInt(70), rnd.nextInt(90));
        drawGlyphs(g, text, rnd, 15, 1.0, 2, () -> ink);
        g.setStroke(new BasicStroke(1.2f + rnd.nextFloat()));
        int lines = 3 + rnd.nextInt(3);
        for (int i = 0; i < lines; i++) {
            g.setColor(new Color(rnd.nextInt(120), rnd.nextInt(120), rnd.nextInt(120)));
            g.drawLine(rnd.nextInt(width / 4), rnd.nextInt(height), width - rnd.nextInt(width / 4), rnd.nextInt(height));
        }
        for (int i = 0; i < width * height / 120; i++) {
            int v = rnd.nextInt(160);
            g.setColor(new Color(v, v, v));
            g.fillRect(rnd.nextInt(width), rnd.nextInt(height), 1, 1);
        }
    }

    /**
     * Coloured glyphs, each its own hue, straight on the transparent canvas and spread over most of its width (a glyph
     * advances about a third of the height; the canvas gives each ~1.5 heights); a line through a third of them.
     */
    private void onTransparent(Graphics2D g, String text, Random rnd) {
        double spread = 0.8 * width / (text.length() * 0.33 * height);
        drawGlyphs(g, text, rnd, 10, Math.max(0.95, spread * (0.85 + 0.3 * rnd.nextDouble())), 3, contrastingInks(rnd));
        if (rnd.nextInt(3) == 0) {
            g.setColor(dark(rnd));
            g.setStroke(new BasicStroke(1.5f + rnd.nextFloat() * 1.5f));
            int y = height / 2 + rnd.nextInt(Math.max(1, height / 4)) - height / 8;
            g.drawLine(rnd.nextInt(width / 8 + 1), y, width - rnd.nextInt(width / 8 + 1), y + rnd.nextInt(9) - 4);
        }
    }

    /**
     * One of many looks, drawn from {@code rnd}: a background, glyphs in any font filled, outlined or both, at a
     * spacing from overlapping to spread, clutter over them, sometimes a warp, inverted colours or grey.
     */
    private void mixed(Graphics2D g, BufferedImage img, String text, Random rnd) {
        boolean warp = rnd.nextInt(5) == 0;
        mixedBackground(g, rnd);
        double spacing = 0.7 + 0.55 * rnd.nextDouble();
        int rotation = rnd.nextInt(31);
        Supplier<Color> ink = rnd.nextBoolean() ? contrastingInks(rnd) : constant(dark(rnd));
        int fill = rnd.nextInt(6); // 0-3 filled, 4 outlined, 5 filled with an outline of another ink
        float outline = 0.8f + rnd.nextFloat() * Math.max(0.5f, height / 40f);
        List<Shape> glyphs = anyFont.layout(text, rnd, g.getFontRenderContext(), rotation, spacing, warp ? WARP_MARGIN : 2);
        Graphics2D target = g;
        BufferedImage layer = null;
        if (warp) {
            layer = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
            target = layer.createGraphics();
            target.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        }
        target.setStroke(new BasicStroke(outline));
        for (Shape glyph : glyphs) {
            Color c = ink.get();
            target.setColor(c);
            if (fill < 4 || fill == 5) {
                target.fill(glyph);
            }
            if (fill >= 4) {
                target.setColor(fill == 5 ? c.brighter().brighter() : c);
                target.draw(glyph);
            }
        }
        if (warp) {
            target.dispose();
            warp(layer, img, rnd);
        }
        clutter(g, rnd);
        if (rnd.nextInt(10) == 0) {
            invert(img);
        }
        if (rnd.nextInt(4) == 0) {
            grey(img);
        }
    }

    private void mixedBackground(Graphics2D g, Random rnd) {
        g.setColor(light(rnd));
        g.fillRect(0, 0, width, height);
        switch (rnd.nextInt(6)) {
            case 0 -> { } // plain
            case 1 -> {
                g.setPaint(new GradientPaint(0, 0, light(rnd), width, height * rnd.nextFloat(), light(rnd)));
                g.fillRect(0, 0, width, height);
            }
            case 2 -> { // a grid
                int step = 4 + rnd.nextInt(9);
                g.setColor(light(rnd).darker());
                for (int x = rnd.nextInt(step); x < width; x += step) {
                    g.drawLine(x, 0, x, height);
                }
                for (int y = rnd.nextInt(step); y < height; y += step) {
                    g.drawLine(0, y, width, y);
                }
            }
            case 3 -> { // diagonal stripes
                int step = 5 + rnd.nextInt(10);
                g.setColor(light(rnd).darker());
                g.setStroke(new BasicStroke(1 + rnd.nextInt(3)));
                for (int x = -height; x < width; x += step) {
                    g.drawLine(x, height, x + height, 0);
                }
            }
            case 4 -> { // pixel noise
                for (int i = 0; i < width * height / 4; i++) {
                    g.setColor(rnd.nextBoolean() ? light(rnd) : light(rnd).darker());
                    g.fillRect(rnd.nextInt(width), rnd.nextInt(height), 1, 1);
                }
            }
            default -> { // blotches
                g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, 0.35f));
                for (int i = 0; i < 10 + rnd.nextInt(20); i++) {
                    g.setColor(light(rnd).darker());
                    int r = 4 + rnd.nextInt(Math.max(5, height / 2));
                    g.fillOval(rnd.nextInt(width) - r / 2, rnd.nextInt(height) - r / 2, r, r);
                }
                g.setComposite(AlphaComposite.SrcOver);
            }
        }
    }

    /** Lines across the text, dots or arcs, or nothing. */
    private void clutter(Graphics2D g, Random rnd) {
        int kind = rnd.nextInt(4);
        if (kind == 0) {
            return;
        }
        if (kind == 3) {
            dotsAndArcs(g, rnd);
            return;
        }
        g.setStroke(new BasicStroke(1f + rnd.nextFloat() * Math.max(1f, height / 30f)));
        for (int i = 0; i < (kind == 1 ? 1 : 2 + rnd.nextInt(4)); i++) {
            g.setColor(kind == 1 ? dark(rnd) : new Color(rnd.nextInt(150), rnd.nextInt(150), rnd.nextInt(150)));
            g.drawLine(rnd.nextInt(width / 4 + 1), rnd.nextInt(height), width - rnd.nextInt(width / 4 + 1), rnd.nextInt(height));
        }
    }

    private static void invert(BufferedImage img) {
        int[] px = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < px.length; i++) {
            px[i] = (px[i] & 0xff000000) | (~px[i] & 0xffffff);
        }
    }

    private static void grey(BufferedImage img) {
        int[] px = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < px.length; i++) {
            int p = px[i];
            int y = (299 * ((p >> 16) & 0xff) + 587 * ((p >> 8) & 0xff) + 114 * (p & 0xff)) / 1000;
            px[i] = (p & 0xff000000) | (y << 16) | (y << 8) | y;
        }
    }

    private static Supplier<Color> constant(Color c) {
        return () -> c;
    }

    private void colorful(Graphics2D g, String text, Random rnd) {
        Color a = light(rnd);
        Color b = light(rnd);
        g.setPaint(new GradientPaint(0, 0, a, width, height, b));
        g.fillRect(0, 0, width, height);
        g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, 0.35f));
        for (int i = 0; i < 25; i++) {
            g.setColor(light(rnd).darker());
            int s = 6 + rnd.nextInt(24);
            g.fillOval(rnd.nextInt(width) - s / 2, rnd.nextInt(height) - s / 2, s, (int) (s * (0.5 + rnd.nextFloat())));
        }
        // Glyphs overlap by design; translucent ink in a hue unlike the neighbour's keeps the covered
        // strokes (a j's dot, an h's stem) in the picture, so a careful reader can still tell them.
        g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, INK_OPACITY));
        drawGlyphs(g, text, rnd, 30, 0.78, 2, contrastingInks(rnd));
        g.setComposite(AlphaComposite.SrcOver);
    }

    private void warpedBackground(Graphics2D g, Random rnd) {
        Color bg = light(rnd);
        g.setColor(bg);
        g.fillRect(0, 0, width, height);
    }

    private BufferedImage textLayer(String text, Random rnd) {
        BufferedImage layer = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = layer.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            Color ink = dark(rnd);
            drawGlyphs(g, text, rnd, 12, 0.95, WARP_MARGIN, () -> ink);
        } finally {
            g.dispose();
        }
        return layer;
    }

    /** Displaces every pixel of the text layer along two sine waves and composites it onto {@code dst}. */
    private void warp(BufferedImage layer, BufferedImage dst, Random rnd) {
        double ax = 2 + rnd.nextDouble() * 3;
        double ay = 3 + rnd.nextDouble() * 4;
        double fx = 2 * Math.PI / (height * (0.8 + rnd.nextDouble()));
        double fy = 2 * Math.PI / (width * (0.4 + rnd.nextDouble() * 0.4));
        double px = rnd.nextDouble() * 2 * Math.PI;
        double py = rnd.nextDouble() * 2 * Math.PI;
        int[] src = ((DataBufferInt) layer.getRaster().getDataBuffer()).getData();
        int[] out = ((DataBufferInt) dst.getRaster().getDataBuffer()).getData();
        double[] shiftX = new double[height];
        for (int y = 0; y < height; y++) {
            shiftX[y] = ax * Math.sin(y * fx + px);
        }
        double[] shiftY = new double[width];
        for (int x = 0; x < width; x++) {
            shiftY[x] = ay * Math.sin(x * fy + py);
        }
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int sx = (int) Math.round(x + shiftX[y]);
                int sy = (int) Math.round(y + shiftY[x]);
                if (sx < 0 || sy < 0 || sx >= width || sy >= height) {
                    continue;
                }
                int p = src[sy * width + sx];
                int alpha = p >>> 24;
                if (alpha == 0) {
                    continue;
                }
                int q = out[y * width + x];
                out[y * width + x] = blend(q, p, alpha);
            }
        }
    }

    private void dotsAndArcs(Graphics2D g, Random rnd) {
        for (int i = 0; i < 60; i++) {
            g.setColor(dark(rnd));
            int s = 1 + rnd.nextInt(3);
            g.fillOval(rnd.nextInt(width), rnd.nextInt(height), s, s);
        }
        g.setStroke(new BasicStroke(1.5f));
        for (int i = 0; i < 2 + rnd.nextInt(2); i++) {
            g.setColor(dark(rnd));
            int w = width / 2 + rnd.nextInt(width / 2);
            int h = height / 2 + rnd.nextInt(height);
            g.drawArc(rnd.nextInt(width / 2) - width / 8, rnd.nextInt(height / 2), w, h, rnd.nextInt(180), 90 + rnd.nextInt(120));
        }
    }

    private void drawGlyphs(Graphics2D g, String text, Random rnd, int maxRotation, double spacing,
                            double margin, Supplier<Color> ink) {
        for (Shape glyph : layout.layout(text, rnd, g.getFontRenderContext(), maxRotation, spacing, margin)) {
            g.setColor(ink.get());
            g.fill(glyph);
        }
    }

    private static Color light(Random rnd) {
        return new Color(170 + rnd.nextInt(86), 170 + rnd.nextInt(86), 170 + rnd.nextInt(86));
    }

    private static Color dark(Random rnd) {
        return dark(rnd.nextFloat(), rnd);
    }

    private static Color dark(float hue, Random rnd) {
        return Color.getHSBColor(hue, 0.6f + rnd.nextFloat() * 0.4f, 0.25f + rnd.nextFloat() * 0.4f);
    }

    /** Dark inks whose hues are at least a fifth of the colour wheel from the previous one's. */
    static Supplier<Color> contrastingInks(Random rnd) {
        float[] hue = {rnd.nextFloat()};
        return () -> {
            hue[0] = (hue[0] + MIN_HUE_STEP + rnd.nextFloat() * (1 - 2 * MIN_HUE_STEP)) % 1f;
            return dark(hue[0], rnd);
        };
    }

    private static int blend(int dst, int src, int alpha) {
        int inv = 255 - alpha;
        int r = (((src >> 16) & 0xff) * alpha + ((dst >> 16) & 0xff) * inv) / 255;
        int gg = (((src >> 8) & 0xff) * alpha + ((dst >> 8) & 0xff) * inv) / 255;
        int b = ((src & 0xff) * alpha + (dst & 0xff) * inv) / 255;
        return (r << 16) | (gg << 8) | b;
    }

    static String describeFonts() {
        return Arrays.toString(FAMILIES.toArray());
    }
}
