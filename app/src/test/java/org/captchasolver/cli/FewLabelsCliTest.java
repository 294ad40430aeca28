package org.captchasolver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.captchasolver.common.Json;
import org.captchasolver.testing.TestModels;
import org.captchasolver.train.RunFolder;
import org.captchasolver.train.TrainConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The few-labels commands given what careless users give them: one line naming what is wrong, nothing written. */
class FewLabelsCliTest {
    @TempDir Path tmp;

    @Test
    void aMissingStartingNetworkOrAMismatchedInputIsNamedBeforeAnyTraining() throws Exception {
        Path data = TestModels.generate(tmp.resolve("data"), 20, 3);
        CliRunner.Result nowhere = CliRunner.run("train", "-q", "-d", data.toString(), "-o", tmp.resolve("r1").toString(),
                "--init", tmp.resolve("no-such-run").toString());
        assertThat(nowhere.exit()).isEqualTo(1);
        assertThat(nowhere.err().strip()).startsWith("error: ").contains("no-such-run").contains("does not exist").doesNotContain("\n");

        CliRunner.Result height = CliRunner.run("train", "-q", "-d", data.toString(), "-o", tmp.resolve("r2").toString(),
                "--init", "base", "--input", "3x64x256");
        assertThat(height.exit()).isEqualTo(1);
        assertThat(height.err().strip()).contains("--input 3x64x256").contains("keep its channels and height").doesNotContain("\n");

        CliRunner.Result seed = CliRunner.run("train", "-q", "-d", data.toString(), "-o", tmp.resolve("r3").toString(),
                "--init", "base", "--arch", "seed-cnn");
        assertThat(seed.exit()).isEqualTo(1);
        assertThat(seed.err().strip()).contains("--init fine-tunes a crnn").doesNotContain("\n");
    }

    @Test
    void aSmallLabelledSetStartsFromTheBaseByDefaultAndNoneStartsFromRandomWeights() throws Exception {
        Path data = TestModels.generate(tmp.resolve("data"), 40, 5);
        Path auto = tmp.resolve("auto");
        CliRunner.Result byDefault = CliRunner.run("train", "-d", data.toString(), "-o", auto.toString(), "--epochs", "1",
                "--steps-per-epoch", "1", "--batch-size", "8");
        assertThat(byDefault.exit()).as(byDefault.err()).isZero();
        assertThat(byDefault.out()).contains("training images, fewer than 1,000: starting from the base recogniser")
                .contains("Starting from the base recogniser: ");
        TrainConfig resolved = Json.read(new RunFolder(auto).config(), TrainConfig.class);
        assertThat(resolved.init()).isEqualTo("base");
        assertThat(resolved.input().height()).isEqualTo(48); // the base's height, whatever the data's would be

        Path none = tmp.resolve("none");
        CliRunner.Result scratch = CliRunner.run("train", "-d", data.toString(), "-o", none.toString(), "--epochs", "1",
                "--steps-per-epoch", "1", "--batch-size", "8", "--init", "none");
        assertThat(scratch.exit()).as(scratch.err()).isZero();
        assertThat(scratch.out()).doesNotContain("base recogniser");
        assertThat(Json.read(new RunFolder(none).config(), TrainConfig.class).init()).isNull();
    }

    @Test
    void auditAndLabelNameTheFolderTheyCannotUse() throws Exception {
        CliRunner.Result audit = CliRunner.run("audit", "-q", "-m", tmp.toString());
        assertThat(audit.exit()).isEqualTo(1);
        assertThat(audit.err().strip()).contains(tmp.toString()).contains("is not a training run").doesNotContain("\n");
        assertThat(tmp.resolve("audit")).doesNotExist();

        CliRunner.Result label = CliRunner.run("label", "-q", tmp.resolve("nothing-here").toString());
        assertThat(label.exit()).isEqualTo(1);
        assertThat(label.err().strip()).contains("nothing-here").contains("is not a folder").doesNotContain("\n");

        Path images = Files.createDirectories(tmp.resolve("images"));
        Files.writeString(tmp.resolve("list.csv"), "file\nmissing.png\n");
        CliRunner.Result list = CliRunner.run("label", "-q", images.toString(), "--list", tmp.resolve("list.csv").toString());
        assertThat(list.exit()).isEqualTo(1);
        assertThat(list.err().strip()).contains("lists missing.png").contains("not a file under").doesNotContain("\n");
    }

    @Test
    void unlabelledImagesWithoutALabelledSampleAreRefusedByTheBenchmark() {
        CliRunner.Result r = CliRunner.run("benchmark", "-q", "--unlabelled", "-o", tmp.resolve("b").toString(), tmp.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--unlabelled needs --labelled");
    }
}
