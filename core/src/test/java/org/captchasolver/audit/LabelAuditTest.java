package org.captchasolver.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.captchasolver.augment.Augmentation;
import org.captchasolver.common.AtomicFiles;
import org.captchasolver.dataset.DatasetIndex;
import org.captchasolver.dataset.DatasetIndexer;
import org.captchasolver.dataset.IndexEntry;
import org.captchasolver.dataset.IndexOptions;
import org.captchasolver.dataset.Split;
import org.captchasolver.model.Architecture;
import org.captchasolver.solve.CaptchaSolver;
import org.captchasolver.solve.Solution;
import org.captchasolver.testing.TestModels;
import org.captchasolver.train.RunFolder;
import org.captchasolver.train.TrainConfig;
import org.captchasolver.util.Csv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit on a small generated set, then with one label changed on purpose. */
class LabelAuditTest {
    @TempDir Path tmp;

    @Test
    void aLabelChangedOnAnImageTheModelsReadIsTheFirstSuspectAndTheTrainedFoldsAreReused() throws Exception {
        Path data = TestModels.generate(tmp.resolve("data"), 600, 31);
        DatasetIndex index = new DatasetIndexer(IndexOptions.builder().build()).index(data);
        RunFolder run = new RunFolder(tmp.resolve("run")); // a run's index and recipe: all the audit needs
        Files.createDirectories(run.dir());
        index.write(run.index());
        AtomicFiles.writeJson(run.config(), TrainConfig.builder().architecture(Architecture.CRNN).input(TestModels.CRNN_INPUT)
                .epochs(30).batchSize(32).learningRate(3e-3f).augmentation(Augmentation.NONE).earlyStopPatience(1000).seed(1).build());
        Path out = tmp.resolve("audit");
        LabelAudit audit = new LabelAudit(2, 5);
        audit.run(run.dir(), out, TestModels.quiet());
        for (int f = 0; f < 2; f++) { // the model that read fold f never saw it
            DatasetIndex trained = DatasetIndex.read(new RunFolder(out.resolve("folds/" + f)).index());
            java.util.Set<String> learnt = new java.util.HashSet<>();
            trained.entries(Split.TRAIN).forEach(e -> learnt.add(e.file()));
            trained.entries(Split.VAL).forEach(e -> learnt.add(e.file()));
            assertThat(trained.entries(Split.TEST)).isNotEmpty().noneMatch(e -> learnt.contains(e.file()));
            assertThat(trained.entries(Split.TEST).size() + learnt.size()).isEqualTo(600);
        }

        // A wrong label as real sets have them: on an image the model that did not learn it reads, every character changed.
        IndexEntry target = surestReading(index, out);
        StringBuilder wrong = new StringBuilder();
        for (char c : target.label().toCharArray()) {
            wrong.append(TestModels.CHARSET.charAt((TestModels.CHARSET.indexOf(c) + 3) % TestModels.CHARSET.length()));
        }
        List<IndexEntry> changed = new ArrayList<>();
        index.entries().forEach(e -> changed.add(e.file().equals(target.file())
                ? new IndexEntry(e.file(), wrong.toString(), e.width(), e.height(), e.channels(), e.bytes(), e.split()) : e));
        index.withEntries(changed, "one label changed").write(run.index());
        long[] trainedAt = {Files.getLastModifiedTime(out.resolve("folds/0/all_metrics.json")).toMillis()};

        List<LabelAudit.Suspect> suspects = audit.run(run.dir(), out, TestModels.quiet());

        assertThat(Files.getLastModifiedTime(out.resolve("folds/0/all_metrics.json")).toMillis()).as("fold 0 not trained again")
                .isEqualTo(trainedAt[0]);
        assertThat(suspects.get(0).file()).as("the changed label ranks first: %s", suspects.subList(0, Math.min(5, suspects.size())))
                .isEqualTo(target.file());
        assertThat(suspects.get(0).label()).isEqualTo(wrong.toString());
        assertThat(suspects.get(0).reading()).isEqualTo(target.label());
        List<String> firstRow = new ArrayList<>();
        Csv.read(out.resolve(LabelAudit.SUSPECTS_CSV), h -> { }, row -> {
            if (firstRow.isEmpty()) {
                firstRow.addAll(List.of(row));
            }
        });
        assertThat(firstRow).startsWith(target.file(), wrong.toString(), target.label());
        assertThat(Files.readString(out.resolve(LabelAudit.PAGE))).contains(target.file()).contains("data:image/png;base64,");
    }

    /** The held-out image of fold 0 that its model reads right with the highest confidence. */
    private static IndexEntry surestReading(DatasetIndex index, Path out) throws Exception {
        DatasetIndex fold = LabelAudit.foldIndex(index, 0, 2, 1);
        IndexEntry best = null;
        double bestConfidence = -1;
        try (CaptchaSolver solver = CaptchaSolver.load(out.resolve("folds/0"))) {
            for (IndexEntry e : fold.entries(Split.TEST)) {
                Solution s = solver.solve(index.pathOf(e));
                if (s.text().equals(e.label()) && s.confidence() > bestConfidence) {
                    best = e;
                    bestConfidence = s.confidence();
                }
            }
        }
        assertThat(best).as("fold 0's model reads some of its images").isNotNull();
        return best;
    }
}
