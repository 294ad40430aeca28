package org.captchasolver.plot;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * A grid of images with captions under each. A caption line is a list of coloured runs, so a
 * prediction can show each character green or red.
 */
public final class ImageGrid {

    public record Run(String text, Color color) {}

    public record Cell(BufferedImage image, List<List<Run>> caption) {
        public static Cell titled(BufferedImage image, String title) {
            return new Cell(image, List.of(List.of(new Run(title, Color.BLACK))));
        }
    }

    private ImageGrid() {}

    public static BufferedImage draw(String title, List<Cell> cells, int cols, int cellWidth, int imageHeight) {
        int rows = Math.max(1, (cells.size() + cols - 1) / cols);
        int captionLines = cells.stream().mapToInt(c -> c.caption().size()).max().orElse(0);
        Font font = new Font(Font.MONOSPACED, Font.BOLD, 15);
        int lineH = 20;
        int pad = 10;
        int titleH = title == null ? 0 : 36;
        int cellH = imageHeight + captionLines * lineH + pad;
        BufferedImage out = new BufferedImage(cols * (cellWidth + pad) + pad, titleH + rows * cellH + pad, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, out.getWidth(), out.getHeight());
            if (title != null) {
                g.setColor(Color.BLACK);
                g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
                FontMetrics fm = g.getFontMetrics();
                g.drawString(title, (out.getWidth() - fm.stringWidth(title)) / 2, 26);
            }
            g.setFont(font);
            FontMetrics fm = g.getFontMetrics();
            for (int i = 0; i < cells.size(); i++) {
                Cell cell = cells.get(i);
                int x = pad + (i % cols) * (cellWidth + pad);
                int y = titleH + (i / cols) * cellH;
                BufferedImage img = cell.image();
                double scale = Math.min(cellWidth / (double) img.getWidth(), imageHeight / (double) img.getHeight());
                int w = (int) (img.getWidth() * scale);
                int h = (int) (img.getHeight() * scale);
                g.drawImage(img, x + (cellWidth - w) / 2, y + (imageHeight - h) / 2, w, h, null);
                g.setColor(new Color(0xdddddd));
                g.drawRect(x + (cellWidth - w) / 2, y + (imageHeight - h) / 2, w, h);
                for (int l = 0; l < cell.caption().size(); l++) {
                    List<Run> line = cell.caption().get(l);
                    int textW = line.stream().mapToInt(r -> fm.stringWidth(r.text())).sum();
                    int tx = x + Math.max(0, (cellWidth - textW) / 2);
                    int ty = y + imageHeight + (l + 1) * lineH - 4;
                    for (Run r : line) {
                        g.setColor(r.color());
                        g.drawString(r.text(), tx, ty);
                        tx += fm.stringWidth(r.text());
                    }
                }
            }
        } finally {
            g.dispose();
        }
        return out;
    }
}
