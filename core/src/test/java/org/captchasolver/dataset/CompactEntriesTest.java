package org.captchasolver.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
