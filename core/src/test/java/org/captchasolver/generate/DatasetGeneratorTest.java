package org.captchasolver.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.captchasolver.dataset.LabelManifest;
import org.captchasolver.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetGeneratorTest {
    @TempDir Path tmp;

    @Test
    void sameSeedGivesIdenticalFilesAndOtherSeedDiffers() throws Exception {
        TestImages.generate(tmp.resolve("a"), 30, 7, CaptchaStyle.values());
        TestImages.generate(tmp.resolve("b"), 30, 7, CaptchaStyle.values());
        TestImages.generate(tmp.resolve("c"), 30, 8, CaptchaStyle.values());
        List<String> a = names(tmp.resolve("a"));
        assertThat(a).isEqualTo(names(tmp.resolve("b")));
        for (String f : a) {
            assertThat(Files.readAllBytes(tmp.resolve("a").resolve(f))).as(f).isEqualTo(Files.readAllBytes(tmp.resolve("b").resolve(f)));
        }
        assertThat(names(tmp.resolve("c"))).isNotEqualTo(a);
    }

    @Test
    void writesDecodablePngsOfTheConfiguredSizeWithManifestLabels() throws Exception {
        GeneratorConfig cfg = GeneratorConfig.builder().count(40).styles(CaptchaStyle.FIXED_SIZE)
                .charset("abc123").length(3, 7).size(160, 60).seed(3).build();
        new DatasetGenerator(cfg).generate(tmp);
        Map<String, String> labels = LabelManifest.read(tmp.resolve("labels.csv"));
        assertThat(labels).hasSize(40);
        for (Map.Entry<String, String> e : labels.entrySet()) {
            BufferedImage img = ImageIO.read(tmp.resolve(e.getKey()).toFile());
            assertThat(img.getWidth()).isEqualTo(160);
            assertThat(img.getHeight()).isEqualTo(60);
            assertThat(e.getValue()).matches("[abc123]{3,7}");
            assertThat(e.getKey()).startsWith(e.getValue());
        }
        assertThat(labels.values().stream().mapToInt(String::length).distinct().count()).isGreaterThan(2);
    }

    @Test
    void theVariableStyleGrowsWithItsTextOnATransparentBackground() throws Exception {
        GeneratorConfig cfg = GeneratorConfig.builder().count(30).styles(List.of(CaptchaStyle.VARIABLE))
                .charset("abc123").length(3, 10).size(160, 80).seed(4).build();
        new DatasetGenerator(cfg).generate(tmp);
        Map<String, String> labels = LabelManifest.read(tmp.resolve("labels.csv"));
        Map<Integer, Integer> widthByLength = new java.util.TreeMap<>();
        for (Map.Entry<String, String> e : labels.entrySet()) {
            BufferedImage img = ImageIO.read(tmp.resolve(e.getKey()).toFile());
            assertThat(img.getHeight()).isEqualTo(80);
            assertThat(img.getColorModel().hasAlpha()).isTrue();
            assertThat(img.getRGB(0, 0) >>> 24).as("a transparent corner").isZero();
            widthByLength.merge(e.getValue().length(), img.getWidth(), (a, b) -> {
                assertThat(b).as("one width per length").isEqualTo(a);
                return a;
            });
        }
        assertThat(widthByLength).hasSizeGreaterThan(4);
        assertThat(new java.util.ArrayList<>(widthByLength.values())).isSorted();
        assertThat(CaptchaStyle.VARIABLE.widthFor(4, 160, 80)).isEqualTo(248);
        assertThat(CaptchaStyle.VARIABLE.widthFor(8, 160, 80)).isEqualTo(728);
    }

    @Test
    void theMixedStyleDrawsManySizesAndLooksWithinItsBounds() throws Exception {
        GeneratorConfig cfg = GeneratorConfig.builder().count(120).styles(List.of(CaptchaStyle.MIXED))
                .charset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ").length(3, 8).seed(9).build();
        new DatasetGenerator(cfg).generate(tmp);
        Map<String, String> labels = LabelManifest.read(tmp.resolve("labels.csv"));
        java.util.Set<String> sizes = new java.util.HashSet<>();
        int grey = 0;
        int darkBackground = 0;
        for (Map.Entry<String, String> e : labels.entrySet()) {
            BufferedImage img = ImageIO.read(tmp.resolve(e.getKey()).toFile());
            assertThat(img.getWidth()).as(e.getKey()).isBetween(80, 250);
            assertThat(img.getHeight()).as(e.getKey()).isBetween(25, 80);
            assertThat((double) img.getWidth() / img.getHeight()).as(e.getKey()).isBetween(1.0, 5.0);
            assertThat(e.getValue()).matches("[0-9a-zA-Z]{3,8}");
            sizes.add(img.getWidth() + "x" + img.getHeight());
            grey += isGrey(img) ? 1 : 0;
            darkBackground += (new Color(img.getRGB(0, 0)).getGreen() < 100) ? 1 : 0;
        }
        assertThat(sizes).as("sizes").hasSizeGreaterThan(60);
        assertThat(grey).as("grey images of 120").isBetween(10, 60);
        assertThat(darkBackground).as("light-on-dark images of 120").isBetween(2, 30);
        assertThat(labels.values().stream().mapToInt(String::length).distinct().count()).isEqualTo(6);
    }

    private static boolean isGrey(BufferedImage img) {
        for (int y = 0; y < img.getHeight(); y += 3) {
            for (int x = 0; x < img.getWidth(); x += 3) {
                Color c = new Color(img.getRGB(x, y));
                if (c.getRed() != c.getGreen() || c.getGreen() != c.getBlue()) {
                    return false;
                }
            }
        }
        return true;
    }

    @Test
    void repeatedLabelsGetNumberedFileNames() throws Exception {
        GeneratorConfig cfg = GeneratorConfig.builder().count(20).charset("ab").length(1, 1).seed(1).build();
        new DatasetGenerator(cfg).generate(tmp);
        Map<String, String> labels = LabelManifest.read(tmp.resolve("labels.csv"));
        assertThat(labels).hasSize(20).containsEntry("a.png", "a").containsEntry("a_1.png", "a");
        assertThat(names(tmp)).hasSize(20);
    }

    @Test
    void stylesLookDifferent() throws Exception {
        CaptchaRenderer r = new CaptchaRenderer(200, 100);
        double clean = 0;
        double colorful = 0;
        for (int seed = 0; seed < 10; seed++) {
            clean += meanChroma(r.render("ab3D", CaptchaStyle.CLEAN, new java.util.Random(seed))) / 10;
            colorful += meanChroma(r.render("ab3D", CaptchaStyle.COLORFUL, new java.util.Random(seed))) / 10;
        }
        // Clean is near-gray paper; colourful has a gradient of two random tints, so far more chroma.
        assertThat(colorful).isGreaterThan(clean * 2);
    }

    @Test
    void contrastingInksStepAtLeastAFifthOfTheColourWheelFromTheLastHue() {
        Supplier<Color> inks = CaptchaRenderer.contrastingInks(new Random(5));
        float previous = hue(inks.get());
        double smallestStep = 1;
        for (int i = 0; i < 5000; i++) {
            float h = hue(inks.get());
            float d = Math.abs(h - previous);
            smallestStep = Math.min(smallestStep, Math.min(d, 1 - d));
            previous = h;
        }
        // 0.01 below a fifth: an ink's hue read back from 8-bit RGB is that far off at the darkest shades.
        assertThat(smallestStep).isGreaterThan(0.19).isLessThan(0.21);
    }

    private static float hue(Color c) {
        return Color.RGBtoHSB(c.getRed(), c.getGreen(), c.getBlue(), null)[0];
    }

    @Test
    void rejectsBadConfiguration() {
        assertThatThrownBy(() -> GeneratorConfig.builder().charset("aa").build()).hasMessageContaining("repeated");
        assertThatThrownBy(() -> GeneratorConfig.builder().length(5, 3).build()).hasMessageContaining("length");
        assertThatThrownBy(() -> CaptchaStyle.parse("fancy")).hasMessageContaining("clean, colorful, warped, variable or mixed");
    }

    private static double meanChroma(BufferedImage img) {
        long sum = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int p = img.getRGB(x, y);
                int r = (p >> 16) & 0xff;
                int g = (p >> 8) & 0xff;
                int b = p & 0xff;
                sum += Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b));
            }
        }
        return sum / (double) (img.getWidth() * img.getHeight());
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".png")).sorted().toList();
        }
    }
}
