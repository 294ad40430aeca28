package org.captchasolver.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.captchasolver.dataset.DatasetIndex;
import org.captchasolver.dataset.DatasetIndexer;
import org.captchasolver.dataset.IndexOptions;
import org.captchasolver.dataset.LabelManifest;
import org.captchasolver.testing.TestModels;
import org.captchasolver.util.Csv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --unlabelled}: pseudo-labels from the model being trained, beside the user's labels and never over them. */
class SelfTrainingTest {
    @TempDir Path tmp;

    @Test
    void pseudoLabelsComeOnlyFromImagesWithoutLabelsAndAreWrittenToTheRunFolder() throws Exception {
        Path images = tmp.resolve("images");
        Path labelled = TestModels.generate(images.resolve("labelled"), 80, 3);
        Path unlabelled = TestModels.generate(images.resolve("unlabelled"), 40, 4);
        Files.move(unlabelled.resolve(LabelManifest.FILE_NAME), tmp.resolve("truth.csv"));
        Map<String, String> truth = LabelManifest.read(tmp.resolve("truth.csv"));
        byte[] labelsBefore = Files.readAllBytes(labelled.resolve(LabelManifest.FILE_NAME));

        DatasetIndex index = new DatasetIndexer(IndexOptions.builder().build()).index(labelled);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        // The parent folder holds the labelled images too: they must be left out, not pseudo-labelled.
        TrainConfig config = TrainConfig.builder().init(TestModels.sharedCrnn().toString()).unlabelled(images.toString())
                .epochs(3).batchSize(16).build();
        TrainingRun.Result r = TrainingRun.start(index, config, tmp.resolve("run"), new PrintStream(log, true));

        assertThat(log.toString()).contains("Self-training on 40 unlabelled images").contains("80 left out: they have labels");
        Path csv = r.folder().dir().resolve(PseudoLabels.CSV);
        assertThat(csv).exists();
        List<String[]> rows = new ArrayList<>();
        Csv.read(csv, h -> assertThat(h).containsExactly("file", "label", "confidence", "epoch"), rows::add);
        assertThat(rows).as("a model that reads makes confident readings").isNotEmpty();
        int right = 0;
        for (String[] row : rows) {
            Path file = Path.of(row[0]);
            assertThat(file.getParent()).as("only images without labels").isEqualTo(unlabelled.toAbsolutePath().normalize());
            assertThat(Double.parseDouble(row[2])).isGreaterThanOrEqualTo(PseudoLabels.THRESHOLD);
            right += row[1].equals(truth.get(file.getFileName().toString())) ? 1 : 0;
        }
        // A random 3-4 character reading of this charset is right 0.2% of the time; a reading model is far above that.
        assertThat((double) right / rows.size()).as("%d of %d pseudo-labels right", right, rows.size()).isGreaterThan(0.3);
        assertThat(Files.readAllBytes(labelled.resolve(LabelManifest.FILE_NAME))).as("the user's labels.csv").isEqualTo(labelsBefore);
        assertThat(DatasetIndex.read(r.folder().index()).entries()).as("the run's labelled set")
                .allSatisfy(e -> assertThat(e.file()).doesNotContain("unlabelled"))
                .hasSize(index.entries().size());
    }
}
