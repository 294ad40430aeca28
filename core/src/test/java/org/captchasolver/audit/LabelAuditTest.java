package org.captchasolver.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.captchasolver.augment.Augmentation;
import org.captchasolver.common.AtomicFiles;
import org.captchasolver.dataset.DatasetIndex;
import org.captchasolver.dataset.DatasetIndexer;
import org.captchasolver.dataset.IndexOptions;
import org.captchasolver.dataset.LabelManifest;
import org.captchasolver.dataset.Split;
import org.captchasolver.model.Architecture;
import org.captchasolver.testing.TestModels;
import org.captchasolver.train.RunFolder;
import org.captchasolver.train.TrainConfig;
import org.captchasolver.util.Csv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit on a small generated set with one label changed on purpose. */
class LabelAuditTest {
    @TempDir Path tmp;

    @Test
    void aDeliberatelyWrongLabelIsTheFirstSuspectAndEveryImageIsReadByAModelThatDidNotLearnIt() throws Exception {
        Path data = TestModels.generate(tmp.resolve("data"), 600, 31);
        Map<String, String> labels = LabelManifest.read(data.resolve(LabelManifest.FILE_NAME));
        List<String> files = new ArrayList<>(new java.util.TreeSet<>(labels.keySet()));
        String flipped = files.get(files.size() / 2);
        String truth = labels.get(flipped);
        StringBuilder wrong = new StringBuilder();
        for (char c : truth.toCharArray()) { // every character replaced by the next one of the charset
            String cs = TestModels.CHARSET;
            wrong.append(cs.charAt((cs.indexOf(c) + 3) % cs.length()));
        }
        labels.put(flipped, wrong.toString());
        LabelManifest.write(data.resolve(LabelManifest.FILE_NAME), new ArrayList<>(labels.entrySet()));

        DatasetIndex index = new DatasetIndexer(IndexOptions.builder().build()).index(data);
        RunFolder run = new RunFolder(tmp.resolve("run")); // a run's index and recipe: all the audit needs
        Files.createDirectories(run.dir());
        index.write(run.index());
        AtomicFiles.writeJson(run.config(), TrainConfig.builder().architecture(Architecture.CRNN).input(TestModels.CRNN_INPUT)
                .epochs(30).batchSize(32).learningRate(3e-3f).augmentation(Augmentation.NONE).earlyStopPatience(1000).seed(1).build());

        Path out = tmp.resolve("audit");
        List<LabelAudit.Suspect> suspects = new LabelAudit(2, 5).run(run.dir(), out, TestModels.quiet());

        assertThat(suspects).isNotEmpty();
        assertThat(suspects.get(0).file()).as("the changed label ranks first: %s", suspects.subList(0, Math.min(5, suspects.size()))).isEqualTo(flipped);
        assertThat(suspects.get(0).label()).isEqualTo(wrong.toString());
        for (int f = 0; f < 2; f++) { // the model that read fold f never saw it
            DatasetIndex trained = DatasetIndex.read(new RunFolder(out.resolve("folds/" + f)).index());
            java.util.Set<String> learnt = new java.util.HashSet<>();
            trained.entries(Split.TRAIN).forEach(e -> learnt.add(e.file()));
            trained.entries(Split.VAL).forEach(e -> learnt.add(e.file()));
            int fold = f;
            assertThat(suspects.stream().filter(s -> s.fold() == fold).map(LabelAudit.Suspect::file)).noneMatch(learnt::contains);
            assertThat(trained.entries(Split.TEST).size() + learnt.size()).isEqualTo(600);
        }
        List<String> firstRow = new ArrayList<>();
        Csv.read(out.resolve(LabelAudit.SUSPECTS_CSV), h -> { }, row -> {
            if (firstRow.isEmpty()) {
                firstRow.addAll(List.of(row));
            }
        });
        assertThat(firstRow).startsWith(flipped, wrong.toString());
        assertThat(Files.readString(out.resolve(LabelAudit.PAGE))).contains(flipped).contains("data:image/png;base64,");
    }
}
