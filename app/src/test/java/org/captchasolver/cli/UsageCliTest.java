package org.captchasolver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.imageio.ImageIO;
import org.captchasolver.common.Version;
import org.captchasolver.model.ModelBundle;
import org.captchasolver.testing.TestModels;
import org.captchasolver.util.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a newcomer meets it: typos, choices, conflicts, labels, progress and version. */
class UsageCliTest {
    @TempDir Path tmp;

    @Test
    void aMistypedOptionIsAnsweredWithTheNearestOne() {
        CliRunner.Result r = CliRunner.run("train", "--dta", tmp.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("Unknown option").contains("Did you mean: --data?");
        CliRunner.Result sub = CliRunner.run("trian");
        assertThat(sub.exit()).isEqualTo(2);
        assertThat(sub.err()).contains("captcha train");
    }

    @Test
    void choiceOptionsListTheirValuesInHelpAndRefuseOthersNamingThem() {
        CliRunner.Result help = CliRunner.run("train", "--help");
        assertThat(help.out()).contains("--arch=ARCH", "crnn, seed-cnn", "conv, lstm", "pooled, strided", "default, notebook",
                "val_seq_acc, val_loss");
        assertThat(help.out().indexOf("--data")).as("the everyday options come first").isLessThan(help.out().indexOf("Model:"));
        assertThat(help.out()).contains("Labels and split", "Model:", "Schedule:", "Augmentation (one of):");
        CliRunner.Result bad = CliRunner.run("train", "-d", tmp.toString(), "--arch", "resnet");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("'resnet' is not one of crnn, seed-cnn");
        CliRunner.Result head = CliRunner.run("train", "-d", tmp.toString(), "--head", "gru");
        assertThat(head.err()).contains("'gru' is not one of conv, lstm");
    }

    @Test
    void conflictingOptionsAreRefusedRatherThanOneSilentlyWinning() {
        CliRunner.Result augment = CliRunner.run("train", "-d", tmp.toString(), "--no-augment", "--no-affine");
        assertThat(augment.exit()).isEqualTo(2);
        assertThat(augment.err()).contains("--no-augment, --no-affine are mutually exclusive");
        CliRunner.Result resume = CliRunner.run("train", "-d", tmp.toString(), "--resume", "-o", tmp.resolve("run").toString());
        assertThat(resume.exit()).isEqualTo(2);
        assertThat(resume.err()).contains("--data=DIR, --resume are mutually exclusive");
    }

    @Test
    void numberedFileNamesStopIndexingWithTheLabelRegexThatFits() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("numbered"));
        for (String name : List.of("NFqm_1", "ab3d_2", "xyzw_3", "kq7p_4", "mm2n_5")) {
            ImageIO.write(new BufferedImage(60, 20, BufferedImage.TYPE_INT_RGB), "png", data.resolve(name + ".png").toFile());
        }
        CliRunner.Result r = CliRunner.run("index", "-q", "-d", data.toString(), "-o", tmp.resolve("i").toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().lines().count()).isEqualTo(1);
        assertThat(r.err()).contains("look like <label>_<n>").contains("--label-regex '^(.+)_\\d+$'");
        CliRunner.Result fixed = CliRunner.run("index", "-q", "-d", data.toString(), "-o", tmp.resolve("j").toString(),
                "--label-regex", "^(.+)_\\d+$", "--split", "60/20/20");
        assertThat(fixed.exit()).as(fixed.err()).isZero();
        assertThat(fixed.out()).contains("5 images kept").doesNotContain("_");
    }

    @Test
    void progressToAFileIsPlainLinesWithoutCarriageReturns() throws Exception {
        Path model = TestModels.sharedCrnn();
        Progress.Settings.lineInterval(Duration.ZERO);
        try {
            CliRunner.Result r = CliRunner.run("evaluate", "-m", model.toString(), "-o", tmp.resolve("eval").toString());
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.err()).as("no redrawn frames in a log").doesNotContain("\r");
            assertThat(r.err().lines().filter(l -> l.startsWith("evaluate: "))).as(r.err()).isNotEmpty();
            assertThat(r.err()).contains("evaluate: done, ");
            CliRunner.Result quiet = CliRunner.run("evaluate", "-q", "-m", model.toString(), "-o", tmp.resolve("eval2").toString());
            assertThat(quiet.err()).isEmpty();
        } finally {
            Progress.Settings.lineInterval(Duration.ofSeconds(5));
        }
        CliRunner.Result empty = CliRunner.run("index", "-d", Files.createDirectories(tmp.resolve("empty")).toString(),
                "-o", tmp.resolve("ei").toString());
        assertThat(empty.exit()).isEqualTo(1);
        assertThat(empty.err()).as("the error stands on a line of its own").startsWith("error: no images");
    }

    @Test
    void theVersionComesFromTheBuild() throws Exception {
        CliRunner.Result r = CliRunner.run("--version");
        assertThat(r.exit()).isZero();
        assertThat(Version.current()).matches("\\d+\\.\\d+\\.\\d+.*").doesNotContain("$");
        assertThat(r.out().strip()).isEqualTo("captcha-solver " + Version.current());
        assertThat(ModelBundle.readManifest(TestModels.sharedCrnn()).producer()).isEqualTo(Version.producer());
    }
}
