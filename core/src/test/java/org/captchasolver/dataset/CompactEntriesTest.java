package org.captchasolver.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.captchasolver.model.Alphabet;
import org.captchasolver.model.LabelRules;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompactEntriesTest {
    @TempDir Path tmp;

    @Test
    void anIndexReadBackFromDiskHasEveryFieldOfEveryEntry() throws Exception {
        List<IndexEntry> original = new ArrayList<>();
        Split[] splits = Split.values();
        for (int i = 0; i < 3000; i++) {
            String file = (i % 7 == 0 ? "sub/ü-" : "") + "img_" + i + (i % 2 == 0 ? ".png" : ".jpg");
            String label = i % 11 == 0 ? "" : Integer.toString(i * 37, 36);
            original.add(new IndexEntry(file, label, 100 + i % 50, 30 + i % 9, i % 5 == 0 ? -1 : 1 + i % 4, 1000L * i,
                    splits[i % 3]));
        }
        IndexSummary summary = new IndexSummary(tmp.toString(), original.size(), 0, Map.of(), Map.of(), "0123456789abcdefghijklmnopqrstuvwxyz",
                false, LabelRules.defaults(), "file name", "70/10/20", 42, null, "header", "f");
        new DatasetIndex(tmp, original, List.of(), new Alphabet("0123456789abcdefghijklmnopqrstuvwxyz"), summary).write(tmp.resolve("idx"));

        DatasetIndex read = DatasetIndex.read(tmp.resolve("idx"));
        assertThat(read.entries()).isInstanceOf(CompactEntries.class).containsExactlyElementsOf(original);
        assertThat(read.entries(Split.VAL)).containsExactlyElementsOf(original.stream().filter(e -> e.split() == Split.VAL).toList());
        assertThat(read.maxLabelLength()).isEqualTo(original.stream().mapToInt(e -> e.label().length()).max().orElseThrow());
    }

    @Test
    void labelsThatNeedQuotingOrAreNotAsciiSurviveTwoRoundTripsThroughTheCompactWriter() throws Exception {
        List<IndexEntry> original = new ArrayList<>();
        String[] labels = {"a,b", "say \"hi\"", " lead", "trail ", "line\nbreak", "ünï", "日本", "\uD83D\uDE00x", "", "plain"};
        for (int i = 0; i < labels.length; i++) {
            original.add(new IndexEntry("dir, with comma/f" + i + ".png", labels[i], 10 + i, 20, 3, i, Split.values()[i % 3]));
        }
        IndexSummary summary = new IndexSummary(tmp.toString(), original.size(), 0, Map.of(), Map.of(), "abc", false,
                LabelRules.defaults(), "file name", "70/10/20", 42, null, "header", "f");
        // The first write goes through Jackson (a plain list), the second through the packed bytes of what was read.
        new DatasetIndex(tmp, original, List.of(), new Alphabet("abc"), summary).write(tmp.resolve("a"));
        DatasetIndex first = DatasetIndex.read(tmp.resolve("a"));
        first.write(tmp.resolve("b"));
        DatasetIndex second = DatasetIndex.read(tmp.resolve("b"));

        assertThat(first.entries()).containsExactlyElementsOf(original);
        assertThat(second.entries()).containsExactlyElementsOf(original);
        CompactEntries compact = (CompactEntries) second.entries();
        for (int i = 0; i < original.size(); i++) {
            assertThat(compact.labelLength(i)).as(labels[i]).isEqualTo(labels[i].length());
        }
    }

    @Test
    void aBadRowIsRefusedWithTheFileAndTheRow() throws Exception {
        Path dir = tmp.resolve("bad");
        java.nio.file.Files.createDirectories(dir);
        IndexSummary summary = new IndexSummary(tmp.toString(), 1, 0, Map.of(), Map.of(), "abc", false,
                LabelRules.defaults(), "file name", "70/10/20", 42, null, "header", "f");
        new DatasetIndex(tmp, List.of(new IndexEntry("a.png", "ab", 1, 1, 3, 1, Split.TRAIN)), List.of(), new Alphabet("abc"), summary)
                .write(dir);
        Path csv = dir.resolve(DatasetIndex.INDEX_CSV);
        String header = "file,label,split,width,height,channels,bytes\n";
        java.nio.file.Files.writeString(csv, header + "a.png,ab,train,wide,1,3,1\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DatasetIndex.read(dir))
                .hasMessageContaining(csv.toString()).hasMessageContaining("a.png,ab,train,wide").hasMessageContaining("'wide'");
        java.nio.file.Files.writeString(csv, header + "a.png,ab,train\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DatasetIndex.read(dir))
                .hasMessageContaining(csv.toString()).hasMessageContaining("no cell");
        java.nio.file.Files.writeString(csv, header + "a.png,ab,sideways,1,1,3,1\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DatasetIndex.read(dir)).hasMessageContaining("unknown split 'sideways'");
    }

    @Test
    void aShuffledViewIsTheSamePermutationAsCollectionsShuffle() {
        List<IndexEntry> base = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            base.add(new IndexEntry("f" + i, "l" + i, 1, 1, 3, 1, Split.TRAIN));
        }
        List<IndexEntry> expected = new ArrayList<>(base);
        Collections.shuffle(expected, new Random(9));
        assertThat(EntryView.shuffled(base, new Random(9), 100)).containsExactlyElementsOf(expected);
        assertThat(EntryView.shuffled(base, new Random(9), 10)).containsExactlyElementsOf(expected.subList(0, 10));
    }
}
