package org.captchasolver.generate;

import java.awt.Font;
import java.awt.Shape;
import java.awt.font.FontRenderContext;
import java.awt.font.GlyphVector;
import java.awt.geom.AffineTransform;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Places the glyphs of a text on a canvas, each with its own font, size, rotation and vertical
 * offset, then shrinks and shifts the whole line so every glyph lies inside the canvas. Without
 * that last step six wide glyphs overflow a 200-pixel image and the label names characters the
 * picture does not show, which no reader can get right.
 */
final class GlyphLayout {
    /**
     * Glyphs are laid out at this size and their outlines scaled to the size drawn. Java2D keeps a font strike per
     * font and size, dropped only when the heap runs short: a size drawn at random for every glyph made a million
     * images hold two million strikes, a 4 GB heap full and a 5 GB process.
     */
    static final float REFERENCE_SIZE = 64f;
    private static final java.util.Map<String, Font> FONTS = new java.util.concurrent.ConcurrentHashMap<>();

    private final int width;
    private final int height;
    private final List<String> families;
    private final boolean italics;

    GlyphLayout(int width, int height, List<String> families) {
        this(width, height, families, false);
    }

    /** @param italics draw a quarter of the glyphs italic and a quarter bold italic, not only plain and bold */
    GlyphLayout(int width, int height, List<String> families, boolean italics) {
        this.width = width;
        this.height = height;
        this.families = families;
        this.italics = italics;
    }

    /**
     * The glyph outlines, in canvas coordinates, all within {@code margin} pixels of the border.
     * {@code spacing} below 1 makes neighbours overlap.
     */
    List<Shape> layout(String text, Random rnd, FontRenderContext frc, int maxRotation, double spacing, double margin) {
        int n = text.length();
        double baseSize = Math.min(height * 0.55, width * 0.9 / (n * 0.62));
        GlyphVector[] glyphs = new GlyphVector[n];
        double[] scales = new double[n];
        double[] advances = new double[n];
        double total = 0;
        for (int i = 0; i < n; i++) {
            String family = families.get(rnd.nextInt(families.size()));
            int styleBits = italics ? rnd.nextInt(4) : rnd.nextInt(4) == 0 ? Font.BOLD : Font.PLAIN; // 0-3: plain, bold, italic, both
            scales[i] = baseSize * (0.85 + rnd.nextDouble() * 0.3) / REFERENCE_SIZE;
            glyphs[i] = font(family, styleBits).createGlyphVector(frc, text.substring(i, i + 1));
            advances[i] = glyphs[i].getLogicalBounds().getWidth() * scales[i] * spacing;
            total += advances[i];
        }
        double x = (width - total) / 2 + (rnd.nextDouble() - 0.5) * Math.max(0, width - total) * 0.5;
        List<Shape> shapes = new ArrayList<>(n);
        Rectangle2D extent = null;
        for (int i = 0; i < n; i++) {
            Rectangle2D box = glyphs[i].getVisualBounds();
            double cy = height / 2.0 + (rnd.nextDouble() - 0.5) * height * 0.18;
            AffineTransform t = new AffineTransform();
            t.translate(x + advances[i] / 2, cy);
            t.rotate(Math.toRadians((rnd.nextDouble() * 2 - 1) * maxRotation));
            t.scale(scales[i], scales[i]);
            t.translate(-box.getCenterX(), -box.getCenterY());
            Shape shape = t.createTransformedShape(glyphs[i].getOutline());
            shapes.add(shape);
            extent = extent == null ? shape.getBounds2D() : extent.createUnion(shape.getBounds2D());
            x += advances[i];
        }
        return extent == null ? shapes : fitted(shapes, extent, margin);
    }

    private Font font(String family, int style) {
        return FONTS.computeIfAbsent(family + "/" + style, k -> new Font(family, style, 1).deriveFont(REFERENCE_SIZE));
    }

    private List<Shape> fitted(List<Shape> shapes, Rectangle2D extent, double margin) {
        double room = width - 2 * margin;
        double roomY = height - 2 * margin;
        double scale = Math.min(1, Math.min(room / extent.getWidth(), roomY / extent.getHeight()));
        double w = extent.getWidth() * scale;
        double h = extent.getHeight() * scale;
        // Keep the random placement where it already fits; clamp only the overflowing side.
        double left = clamp(extent.getCenterX() - w / 2, margin, width - margin - w);
        double top = clamp(extent.getCenterY() - h / 2, margin, height - margin - h);
        if (scale == 1 && left == extent.getX() && top == extent.getY()) {
            return shapes;
        }
        AffineTransform fit = new AffineTransform();
        fit.translate(left, top);
        fit.scale(scale, scale);
        fit.translate(-extent.getX(), -extent.getY());
        List<Shape> out = new ArrayList<>(shapes.size());
        for (Shape s : shapes) {
            out.add(fit.createTransformedShape(s));
        }
        return out;
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
