package org.captchasolver.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * A count matrix as a heatmap with a label on every row and column, coloured on a square-root
 * scale so that rare confusions stay visible beside a heavy diagonal.
 */
public final class Heatmap {
    private Heatmap() {}

    public static BufferedImage draw(String title, long[][] counts, List<String> labels, String rowTitle, String colTitle) {
        int n = counts.length;
        int cell = Math.max(14, Math.min(36, 900 / Math.max(1, n)));
        int left = 70;
        int top = 60;
        int right = 110;
        int bottom = 60;
        int w = left + n * cell + right;
        int h = top + n * cell + bottom;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, w, h);
            long max = 1;
            for (long[] row : counts) {
                for (long v : row) {
                    max = Math.max(max, v);
                }
            }
            Font tick = new Font(Font.MONOSPACED, Font.BOLD, Math.max(10, Math.min(16, cell - 4)));
            Font num = new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(8, Math.min(12, cell / 3)));
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double f = Math.sqrt(counts[i][j] / (double) max);
                    g.setColor(shade(f));
                    g.fillRect(left + j * cell, top + i * cell, cell, cell);
                    if (counts[i][j] > 0 && cell >= 22) {
                        g.setFont(num);
                        g.setColor(f > 0.55 ? Color.WHITE : Color.DARK_GRAY);
                        String s = counts[i][j] > 999 ? (counts[i][j] / 1000) + "k" : String.valueOf(counts[i][j]);
                        FontMetrics fm = g.getFontMetrics();
                        g.drawString(s, left + j * cell + (cell - fm.stringWidth(s)) / 2, top + i * cell + (cell + fm.getAscent()) / 2 - 2);
                    }
                }
            }
            g.setColor(Color.GRAY);
            g.setStroke(new BasicStroke(1f));
            g.drawRect(left, top, n * cell, n * cell);
            g.setFont(tick);
            g.setColor(Color.BLACK);
            FontMetrics fm = g.getFontMetrics();
            for (int i = 0; i < n; i++) {
                String s = labels.get(i);
                g.drawString(s, left - 6 - fm.stringWidth(s), top + i * cell + (cell + fm.getAscent()) / 2 - 2);
                g.drawString(s, left + i * cell + (cell - fm.stringWidth(s)) / 2, top + n * cell + fm.getAscent() + 4);
            }
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
            fm = g.getFontMetrics();
            g.drawString(title, (w - fm.stringWidth(title)) / 2, 28);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            fm = g.getFontMetrics();
            g.drawString(colTitle, left + (n * cell - fm.stringWidth(colTitle)) / 2, h - 12);
            AffineTransform t = g.getTransform();
            g.rotate(-Math.PI / 2);
            g.drawString(rowTitle, -(top + (n * cell + fm.stringWidth(rowTitle)) / 2), 18);
            g.setTransform(t);
            // Colour scale.
            int sx = left + n * cell + 30;
            for (int y = 0; y < n * cell; y++) {
                g.setColor(shade(1 - y / (double) (n * cell)));
                g.fillRect(sx, top + y, 18, 1);
            }
            g.setColor(Color.BLACK);
            g.drawString(String.valueOf(max), sx + 22, top + 12);
            g.drawString("0", sx + 22, top + n * cell);
        } finally {
            g.dispose();
        }
        return img;
    }

    /** White to dark blue. */
    private static Color shade(double f) {
        f = Math.max(0, Math.min(1, f));
        int r = (int) (247 - f * (247 - 8));
        int gg = (int) (251 - f * (251 - 48));
        int b = (int) (255 - f * (255 - 107));
        return new Color(r, gg, b);
    }
}
