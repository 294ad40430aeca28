package org.captchasolver.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.captchasolver.common.CaptchaException;
import org.captchasolver.model.LabelRules;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelPatternsTest {
    @TempDir Path tmp;

    @Test
    void numberedNamesAreRecognisedWithTheRegexThatReadsTheirLabels() {
        assertConvention(List.of("NFqm_1", "ab3d_2", "xyzw_13"), "<label>_<n>", "NFqm", "ab3d", "xyzw");
        assertConvention(List.of("1_NFqm", "2_ab3d", "13_xyzw"), "<n>_<label>", "NFqm", "ab3d", "xyzw");
        assertConvention(List.of("NFqm-1", "ab3d-2", "xyzw-13"), "<label>-<n>", "NFqm", "ab3d", "xyzw");
        assertConvention(List.of("captcha-NFqm", "captcha-ab3d"), "captcha-<label>", "NFqm", "ab3d");
        assertConvention(List.of("NFqm.v2", "ab3d.v2"), "<label>.v2", "NFqm", "ab3d");
    }

    @Test
    void theGeneratorsNamesForARepeatedLabelAreRecognised() {
        LabelPatterns.Convention c = LabelPatterns.detect(List.of("NFqm", "NFqm_1", "ab3d", "xyzw")).orElseThrow();
        Pattern p = Pattern.compile(c.regex());
        assertThat(List.of("NFqm", "NFqm_1", "ab3d").stream().map(s -> group(p, s))).containsExactly("NFqm", "NFqm", "ab3d");
    }

    @Test
    void plainLabelsAndAFewOddNamesAreLeftAlone() {
        assertThat(LabelPatterns.detect(List.of("226md", "22d5n", "2356g", "23mdg"))).isEmpty();
        assertThat(LabelPatterns.detect(List.of("aabti", "aapjn", "acevx_2", "bcdef", "ghijk", "mnpqr", "stuvw", "xyzab",
                "cdefh", "ijkmn"))).as("one name in ten with a number is not a convention").isEmpty();
        assertThat(LabelPatterns.detect(List.of("abcd"))).isEmpty();
    }

    @Test
    void indexingNumberedFileNamesStopsWithTheRegexToUseAndAcceptsItWhenGiven() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("numbered"));
        for (String name : List.of("NFqm_1", "ab3d_2", "xyzw_3", "kq7p_4")) {
            ImageIO.write(new BufferedImage(60, 20, BufferedImage.TYPE_INT_RGB), "png", data.resolve(name + ".png").toFile());
        }
        assertThatThrownBy(() -> new DatasetIndexer(IndexOptions.builder().build()).index(data))
                .isInstanceOf(CaptchaException.class)
                .hasMessageContaining("<label>_<n>").hasMessageContaining("--label-regex '^(.+)_\\d+$'")
                .hasMessageContaining("_' to the alphabet");
        DatasetIndex index = new DatasetIndexer(IndexOptions.builder()
                .rules(LabelRules.builder().regex("^(.+)_\\d+$").build()).build()).index(data);
        assertThat(index.entries()).extracting(IndexEntry::label).containsExactlyInAnyOrder("NFqm", "ab3d", "xyzw", "kq7p");
        assertThat(index.alphabet().chars()).doesNotContain("_");
        DatasetIndex whole = new DatasetIndexer(IndexOptions.builder()
                .rules(LabelRules.builder().regex("^(.*)$").build()).build()).index(data);
        assertThat(whole.entries()).extracting(IndexEntry::label).contains("NFqm_1");
    }

    private static void assertConvention(List<String> stems, String description, String... labels) {
        LabelPatterns.Convention c = LabelPatterns.detect(stems).orElseThrow();
        assertThat(c.description()).isEqualTo(description);
        assertThat(c.matching()).isEqualTo(stems.size());
        Pattern p = Pattern.compile(c.regex());
        assertThat(stems.stream().limit(labels.length).map(s -> group(p, s))).containsExactly(labels);
    }

    private static String group(Pattern p, String s) {
        var m = p.matcher(s);
        assertThat(m.matches()).as(s).isTrue();
        return m.group(1);
    }
}
