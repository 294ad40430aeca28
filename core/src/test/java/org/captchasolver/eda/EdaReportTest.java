package org.captchasolver.eda;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.captchasolver.common.Json;
import org.captchasolver.dataset.DatasetIndex;
import org.captchasolver.dataset.DatasetIndexer;
import org.captchasolver.dataset.IndexEntry;
import org.captchasolver.dataset.IndexOptions;
import org.captchasolver.generate.CaptchaStyle;
import org.captchasolver.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EdaReportTest {
    @TempDir Path tmp;

    @Test
    void figuresAndSummaryAgreeWithARecountOfTheData() throws Exception {
        TestImages.generate(tmp.resolve("data"), 60, 9, CaptchaStyle.FIXED_SIZE.toArray(CaptchaStyle[]::new));
        DatasetIndex index = new DatasetIndexer(IndexOptions.builder().build()).index(tmp.resolve("data"));
        EdaAnalyzer analyzer = new EdaAnalyzer(new EdaOptions(1000, 20, 12, 42));
        EdaStats stats = analyzer.analyze(index);
        EdaReport.write(stats, analyzer.sampleCells(index), tmp.resolve("eda"));

        Map<String, Long> chars = new HashMap<>();
        for (IndexEntry e : index.entries()) {
            for (char c : e.label().toCharArray()) {
                chars.merge(String.valueOf(c), 1L, Long::sum);
            }
        }
        assertThat(stats.charCounts()).isEqualTo(chars);
        assertThat(stats.images()).isEqualTo(60);
        assertThat(stats.sizeCounts()).containsExactly(Map.entry("200x100", 60L));
        assertThat(stats.channelCounts()).containsExactly(Map.entry(3, 60L));
        assertThat(stats.intensitySample()).isEqualTo(20);
        assertThat(stats.channels()).allSatisfy(c -> {
            assertThat(c.pixels()).isEqualTo(20L * 200 * 100);
            assertThat(c.mean()).isBetween(100.0, 250.0);
            assertThat(c.min()).isLessThan(c.max());
        });
        long top = stats.charCounts().values().iterator().next();
        assertThat(stats.charCounts().values()).allMatch(v -> v <= top);
        assertThat(stats.charCounts().get(stats.mostCommonChar())).isEqualTo(top);

        EdaStats reread = Json.read(tmp.resolve("eda/eda.json"), EdaStats.class);
        assertThat(reread.charCounts()).isEqualTo(stats.charCounts());

        assertPng(tmp.resolve("eda/char_frequency.png"), 1000, 500);
        assertPng(tmp.resolve("eda/char_frequency_all.png"), Math.max(1000, 24 * stats.distinctChars() + 150), 500);
        assertPng(tmp.resolve("eda/label_lengths.png"), 800, 450);
        assertPng(tmp.resolve("eda/image_sizes.png"), 900, 500);
        assertPng(tmp.resolve("eda/channel_histograms.png"), 1000, 560);
        BufferedImage grid = ImageIO.read(tmp.resolve("eda/sample_grid.png").toFile());
        assertThat(grid.getWidth()).isEqualTo(4 * 230 + 10); // 4 columns of 220 px plus padding
        assertThat(grid.getHeight()).isGreaterThan(3 * 110);
    }

    @Test
    void samplingIsSeeded() {
        var entries = java.util.stream.IntStream.range(0, 100)
                .mapToObj(i -> new IndexEntry("f" + i + ".png", "x", 1, 1, 3, 1, org.captchasolver.dataset.Split.TRAIN)).toList();
        assertThat(EdaAnalyzer.sample(entries, 10, 1)).isEqualTo(EdaAnalyzer.sample(entries, 10, 1))
                .isNotEqualTo(EdaAnalyzer.sample(entries, 10, 2));
    }

    private static void assertPng(Path p, int w, int h) throws Exception {
        assertThat(p).exists();
        BufferedImage img = ImageIO.read(p.toFile());
        assertThat(img).as(p.toString()).isNotNull();
        assertThat(img.getWidth()).isEqualTo(w);
        assertThat(img.getHeight()).isEqualTo(h);
        assertThat(Files.size(p)).isGreaterThan(2000);
    }
}
