package org.captchasolver.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import org.captchasolver.image.ImageTensors;
import org.captchasolver.image.InputShape;
import org.junit.jupiter.api.Test;

class AugmenterTest {
    private static final InputShape SHAPE = new InputShape(3, 32, 128);

    @Test
    void theSameSeedGivesTheSameImageAndAnotherSeedAnotherOne() {
        BufferedImage img = text();
        Augmenter aug = new Augmenter(Augmentation.DEFAULT, SHAPE);
        float[] a = new float[SHAPE.size()];
        float[] b = new float[SHAPE.size()];
        float[] c = new float[SHAPE.size()];
        aug.toChw(img, a, 0, 7);
        aug.toChw(img, b, 0, 7);
        aug.toChw(img, c, 0, 8);
        assertThat(b).containsExactly(a);
        assertThat(c).isNotEqualTo(a);
        for (float v : a) {
            assertThat(v).isBetween(0f, 1f);
        }
    }

    @Test
    void noiseAloneHasTheConfiguredSpreadAroundTheImage() {
        BufferedImage gray = new BufferedImage(SHAPE.width(), SHAPE.height(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = gray.createGraphics();
        g.setColor(new Color(128, 128, 128));
        g.fillRect(0, 0, SHAPE.width(), SHAPE.height());
        g.dispose();
        float std = 0.05f;
        Augmenter noiseOnly = new Augmenter(new Augmentation(0, 1, 1, 1, 1, std, 0, 0, 0), SHAPE);
        float[] out = new float[SHAPE.size()];
        noiseOnly.toChw(gray, out, 0, 1);
        double mean = 0;
        for (float v : out) {
            mean += v;
        }
        mean /= out.length;
        double var = 0;
        for (float v : out) {
            var += (v - mean) * (v - mean);
        }
        assertThat(mean).isCloseTo(128 / 255.0, within(0.003));
        assertThat(Math.sqrt(var / out.length)).isCloseTo(std, within(0.003));
    }

    @Test
    void withoutAugmentationItIsThePlainConversion() {
        BufferedImage img = text();
        float[] out = new float[SHAPE.size()];
        new Augmenter(Augmentation.NONE, SHAPE).toChw(img, out, 0, 3);
        assertThat(out).containsExactly(ImageTensors.toChw(img, SHAPE));
    }

    private static BufferedImage text() {
        BufferedImage img = new BufferedImage(200, 60, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 200, 60);
        g.setColor(new Color(40, 60, 120));
        g.setFont(g.getFont().deriveFont(36f));
        g.drawString("ab3x", 20, 45);
        g.dispose();
        return img;
    }
}
