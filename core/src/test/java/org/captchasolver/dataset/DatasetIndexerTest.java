package org.captchasolver.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.captchasolver.common.CaptchaException;
import org.captchasolver.model.LabelRules;
import org.captchasolver.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetIndexerTest {
    @TempDir Path tmp;

    private static DatasetIndex index(Path dir, IndexOptions.Builder b) throws Exception {
        return new DatasetIndexer(b.build()).index(dir);
    }

    private static void png(Path file, int w, int h) throws Exception {
        Files.createDirectories(file.getParent());
        ImageIO.write(new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB), "png", file.toFile());
    }

    @Test
    void brokenFilesAreSkippedWithTheRightReasonAndNothingCrashes() throws Exception {
        Path data = tmp.resolve("data");
        TestImages.generate(data, 20, 1);
        Files.delete(data.resolve("labels.csv")); // label from the file name
        Path good = Files.list(data).filter(p -> p.toString().endsWith(".png")).findFirst().orElseThrow();
        Files.write(data.resolve("empty1.png"), new byte[0]);
        TestImages.truncatedCopy(good, data.resolve("trunc1.png"));
        Files.writeString(data.resolve("text1.png"), "this is not an image at all");
        Files.write(data.resolve("bomb1.png"), TestImages.pngDeclaring(100_000, 100_000));
        png(data.resolve("sub/toolongxyz12.PNG"), 50, 20);
        Files.writeString(data.resolve("notes.txt"), "ignored: not an image extension");

        DatasetIndex idx = index(data, IndexOptions.builder().rules(LabelRules.builder().maxLength(8).build()));

        Map<String, SkipReason> reasons = idx.skipped().stream()
                .collect(Collectors.toMap(SkippedFile::file, SkippedFile::reason));
        assertThat(reasons).containsOnly(
                Map.entry("empty1.png", SkipReason.ZERO_BYTE),
                Map.entry("trunc1.png", SkipReason.UNDECODABLE),
                Map.entry("text1.png", SkipReason.NOT_AN_IMAGE),
                Map.entry("bomb1.png", SkipReason.TOO_LARGE),
                Map.entry("sub/toolongxyz12.PNG", SkipReason.LABEL_TOO_LONG));
        assertThat(idx.entries()).hasSize(20);
        assertThat(idx.summary().skippedByReason()).containsEntry("TOO_LARGE", 1).containsEntry("ZERO_BYTE", 1);

        idx.write(tmp.resolve("idx"));
        String csv = Files.readString(tmp.resolve("idx/skipped.csv"));
        assertThat(csv).contains("trunc1.png,UNDECODABLE").contains("bomb1.png,TOO_LARGE");
        assertThat(Files.readString(tmp.resolve("idx/skipped.json"))).contains("\"NOT_AN_IMAGE\" : 1");
    }

    @Test
    void headerOnlyModeStillGuardsAgainstBombsButLetsTruncatedFilesThrough() throws Exception {
        Path data = tmp.resolve("data");
        TestImages.generate(data, 4, 1);
        Files.delete(data.resolve("labels.csv"));
        Path good = Files.list(data).filter(p -> p.toString().endsWith(".png")).findFirst().orElseThrow();
        TestImages.truncatedCopy(good, data.resolve("trunc1.png"));
        Files.write(data.resolve("bomb1.png"), TestImages.pngDeclaring(50_000, 50_000));
        DatasetIndex idx = index(data, IndexOptions.builder().fullDecode(false));
        assertThat(idx.skipped()).extracting(SkippedFile::reason).containsExactly(SkipReason.TOO_LARGE);
        assertThat(idx.entries()).hasSize(5);
    }

    @Test
    void fixedCharsetSkipsLabelsWithOtherCharacters() throws Exception {
        png(tmp.resolve("abc.png"), 40, 20);
        png(tmp.resolve("abz.png"), 40, 20);
        DatasetIndex idx = index(tmp, IndexOptions.builder().rules(LabelRules.builder().charset("abc").build()));
        assertThat(idx.entries()).extracting(IndexEntry::label).containsExactly("abc");
        assertThat(idx.skipped()).singleElement().satisfies(s -> {
            assertThat(s.reason()).isEqualTo(SkipReason.CHAR_OUTSIDE_CHARSET);
            assertThat(s.detail()).contains("'z'");
        });
        assertThat(idx.alphabet().chars()).isEqualTo("abc");
    }

    @Test
    void regexRulesCoverTheCommonNamingSchemes() throws Exception {
        png(tmp.resolve("a/ab12_7.png"), 40, 20);
        png(tmp.resolve("b/3_xy9.jpg"), 40, 20);
        png(tmp.resolve("c/Qr5-12.bmp"), 40, 20);
        Labeler suffix = Labeler.of(LabelRules.builder().regex("^(.+)_\\d+$").build(), null);
        assertThat(suffix.label("a/ab12_7.png").label()).isEqualTo("ab12");
        assertThat(suffix.label("b/3_xy9.jpg").reason()).isEqualTo(SkipReason.NO_LABEL_MATCH);
        Labeler prefix = Labeler.of(LabelRules.builder().regex("^\\d+_(.+)$").build(), null);
        assertThat(prefix.label("b/3_xy9.jpg").label()).isEqualTo("xy9");
        Labeler dash = Labeler.of(LabelRules.builder().regex("^(.+)-\\d+$").lowercase(true).build(), null);
        assertThat(dash.label("c/Qr5-12.bmp").label()).isEqualTo("qr5");

        DatasetIndex idx = index(tmp, IndexOptions.builder().rules(LabelRules.builder().regex("^(.+)_\\d+$").build()));
        assertThat(idx.entries()).extracting(IndexEntry::label).containsExactly("ab12");
        assertThat(idx.skipped()).hasSize(2).allMatch(s -> s.reason() == SkipReason.NO_LABEL_MATCH);
    }

    @Test
    void regexNeedsExactlyOneGroup() {
        assertThatThrownBy(() -> LabelRules.builder().regex("^.+$").build()).hasMessageContaining("one capture group");
        assertThatThrownBy(() -> LabelRules.builder().regex("(").build()).hasMessageContaining("not a valid pattern");
    }

    @Test
    void manifestWinsOverFileNamesAndUnlistedFilesAreReported() throws Exception {
        png(tmp.resolve("img1.png"), 40, 20);
        png(tmp.resolve("img2.png"), 40, 20);
        png(tmp.resolve("img3.png"), 40, 20);
        Files.writeString(tmp.resolve("labels.csv"), "file,label\nimg1.png,AbC\nimg2.png,\"x,y\"\n");
        DatasetIndex idx = index(tmp, IndexOptions.builder().rules(LabelRules.builder().lowercase(true).build()));
        assertThat(idx.entries()).extracting(IndexEntry::label).containsExactlyInAnyOrder("abc", "x,y");
        assertThat(idx.skipped()).singleElement().extracting(SkippedFile::reason).isEqualTo(SkipReason.NO_LABEL);
        assertThat(idx.summary().labelSource()).isEqualTo("manifest");
    }

    @Test
    void caseInsensitiveExtensionsAndAlphabetIsSortedAndStable() throws Exception {
        png(tmp.resolve("zb.PNG"), 40, 20);
        png(tmp.resolve("a9.Png"), 40, 20);
        png(tmp.resolve("Ba.jpeg"), 40, 20);
        DatasetIndex idx = index(tmp, IndexOptions.builder());
        assertThat(idx.alphabet().chars()).isEqualTo("9Babz");
        assertThat(idx.alphabet().classOf('9')).isEqualTo(1); // class 0 is reserved
    }

    @Test
    void splitIsDeterministicStratifiedDisjointAndPersisted() throws Exception {
        Path data = tmp.resolve("data");
        TestImages.generate(data, 200, 5);
        DatasetIndex a = index(data, IndexOptions.builder());
        DatasetIndex b = index(data, IndexOptions.builder());
        DatasetIndex c = index(data, IndexOptions.builder().seed(43));
        assertThat(a.entries()).isEqualTo(b.entries());
        assertThat(a.entries()).isNotEqualTo(c.entries());
        Set<String> train = files(a, Split.TRAIN);
        Set<String> val = files(a, Split.VAL);
        Set<String> test = files(a, Split.TEST);
        assertThat(train.size() + val.size() + test.size()).isEqualTo(200);
        assertThat(intersect(train, val)).isEmpty();
        assertThat(intersect(train, test)).isEmpty();
        assertThat(intersect(val, test)).isEmpty();
        assertThat(train.size()).isBetween(136, 144);
        assertThat(val.size()).isBetween(17, 23);
        // Stratified: every label length appears in every part in its share.
        for (int len = 4; len <= 6; len++) {
            final int l = len;
            long all = a.entries().stream().filter(e -> e.label().length() == l).count();
            long inTest = a.entries(Split.TEST).stream().filter(e -> e.label().length() == l).count();
            assertThat((double) inTest / all).isBetween(0.15, 0.25);
        }
        a.write(tmp.resolve("idx"));
        DatasetIndex read = DatasetIndex.read(tmp.resolve("idx"));
        assertThat(read.entries()).isEqualTo(a.entries());
        assertThat(read.alphabet()).isEqualTo(a.alphabet());
        assertThat(read.summary().fingerprint()).isEqualTo(a.summary().fingerprint());
    }

    @Test
    void limitTakesASeededSubset() throws Exception {
        Path data = tmp.resolve("data");
        TestImages.generate(data, 60, 5);
        DatasetIndex a = index(data, IndexOptions.builder().limit(25));
        DatasetIndex b = index(data, IndexOptions.builder().limit(25));
        DatasetIndex c = index(data, IndexOptions.builder().limit(25).seed(1));
        assertThat(a.entries()).hasSize(25).isEqualTo(b.entries());
        assertThat(files(a, null)).isNotEqualTo(files(c, null));
    }

    @Test
    void clearErrorsForMissingFolderAndNonIndexFolder() {
        assertThatThrownBy(() -> index(tmp.resolve("nope"), IndexOptions.builder()))
                .isInstanceOf(CaptchaException.class).hasMessageContaining("nope").hasMessageContaining("is not a folder");
        assertThatThrownBy(() -> index(tmp, IndexOptions.builder()))
                .isInstanceOf(CaptchaException.class).hasMessageContaining("no images");
        assertThatThrownBy(() -> DatasetIndex.read(tmp)).hasMessageContaining("captcha index");
    }

    private static Set<String> files(DatasetIndex idx, Split s) {
        return idx.entries().stream().filter(e -> s == null || e.split() == s).map(IndexEntry::file).collect(Collectors.toSet());
    }

    private static Set<String> intersect(Set<String> a, Set<String> b) {
        Set<String> r = new HashSet<>(a);
        r.retainAll(b);
        return r;
    }

}
