package org.captchasolver.augment;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.captchasolver.image.ImageDecoder;
import org.captchasolver.image.ImageTensors;
import org.captchasolver.image.InputShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PNGs with an alpha channel, as some CAPTCHA sets ship them: pale glyphs on a transparent background keep their
 * contrast (composited onto white they would vanish), dark ones stay on white as before, and training (the augmenter
 * with no augmentation) sees exactly the pixels solving does, with either resampling.
 */
class TransparentImageTest {
    @TempDir Path tmp;

    private Path transparentPng(String name, Color glyphs) throws Exception {
        BufferedImage img = new BufferedImage(250, 80, BufferedImage.TYPE_INT_ARGB); // all transparent
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(glyphs);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 48));
        g.drawString("k7x2", 30, 58);
        g.fillRect(20, 38, 210, 3); // a strike-through line
        g.dispose();
        Path file = tmp.resolve(name + ".png");
        ImageIO.write(img, "png", file.toFile());
        return file;
    }

    /** Luminance of each pixel of a 3-channel CHW tensor. */
    private static double[] luminance(float[] chw, int plane) {
        double[] out = new double[plane];
        for (int i = 0; i < plane; i++) {
            out[i] = 0.299 * chw[i] + 0.587 * chw[plane + i] + 0.114 * chw[2 * plane + i];
        }
        return out;
    }

    @Test
    void paleGlyphsOnATransparentBackgroundKeepTheirContrast() throws Exception {
        Path pale = transparentPng("pale", new Color(245, 240, 190));
        BufferedImage decoded = ImageDecoder.defaults().decode(pale).image();
        assertThat(decoded.getColorModel().hasAlpha()).as("the PNG keeps its alpha channel").isTrue();
        for (InputShape.Resampling how : InputShape.Resampling.values()) {
            InputShape shape = new InputShape(3, 48, 128, how);
            double[] lum = luminance(ImageTensors.toChw(decoded, shape), 48 * 128);
            double min = java.util.Arrays.stream(lum).min().orElseThrow();
            double max = java.util.Arrays.stream(lum).max().orElseThrow();
            assertThat(max - min).as("glyph against background, %s", how).isGreaterThan(0.8);
            assertThat(lum[0]).as("the corner, background, is dark behind pale glyphs").isLessThan(0.05);
        }
    }

    @Test
    void darkGlyphsOnATransparentBackgroundStayOnWhite() throws Exception {
        BufferedImage decoded = ImageDecoder.defaults().decode(transparentPng("dark", new Color(30, 60, 120))).image();
        double[] lum = luminance(ImageTensors.toChw(decoded, new InputShape(3, 48, 128)), 48 * 128);
        assertThat(lum[0]).isGreaterThan(0.99);
        assertThat(java.util.Arrays.stream(lum).min().orElseThrow()).isLessThan(0.35);
    }

    @Test
    void trainingSeesTheSamePixelsAsSolving() throws Exception {
        BufferedImage decoded = ImageDecoder.defaults().decode(transparentPng("pale", new Color(245, 240, 190))).image();
        for (InputShape.Resampling how : InputShape.Resampling.values()) {
            InputShape shape = new InputShape(3, 48, 128, how);
            float[] training = new float[shape.size()];
            new Augmenter(Augmentation.NONE, shape).toChw(decoded, training, 0, 1L);
            assertThat(training).as("%s", how).containsExactly(ImageTensors.toChw(decoded, shape));
        }
    }
}
