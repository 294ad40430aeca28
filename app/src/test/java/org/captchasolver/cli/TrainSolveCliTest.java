package org.captchasolver.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.captchasolver.augment.Augmentation;
import org.captchasolver.common.Json;
import org.captchasolver.model.Architecture;
import org.captchasolver.model.ModelBundle;
import org.captchasolver.model.ModelSpec;
import org.captchasolver.network.Engines;
import org.captchasolver.network.Weights;
import org.captchasolver.testing.TestModels;
import org.captchasolver.train.CheckpointFiles;
import org.captchasolver.train.EpochMetrics;
import org.captchasolver.train.RunFolder;
import org.captchasolver.train.TrainConfig;
import org.captchasolver.train.TrainingState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TrainSolveCliTest {
    @TempDir Path tmp;

    @Test
    void aRunKilledMidEpochResumesWhereItsLastEpochEnded() throws Exception {
        Path data = TestModels.generate(tmp.resolve("data"), 240, 4);
        Path run = tmp.resolve("run");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Djava.awt.headless=true",
                CaptchaCli.class.getName(), "train", "-q", "--data", data.toString(), "--out", run.toString(),
                "--epochs", "6", "--input", "3x32x96", "--batch-size", "16", "--no-augment", "--patience", "50"));
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile()).start();
        RunFolder folder = new RunFolder(run);
        long deadline = System.currentTimeMillis() + 180_000;
        int done = 0;
        while (System.currentTimeMillis() < deadline && child.isAlive()) {
            if (Files.isRegularFile(folder.state())) {
                done = Json.read(folder.state(), TrainingState.class).epochsDone();
                if (done >= 2) {
                    break;
                }
            }
            Thread.sleep(20);
        }
        assertThat(child.isAlive()).as("training still running at epoch %d: %s", done, Files.readString(tmp.resolve("child.log"))).isTrue();
        child.destroyForcibly(); // SIGKILL: no shutdown hooks, no chance to tidy up
        child.waitFor(10, TimeUnit.SECONDS);
        assertThat(Files.readString(tmp.resolve("child.log"))).as("PyTorch's warnings stay out of the user's console")
                .doesNotContain("NNPACK");
        TrainingState before = Json.read(folder.state(), TrainingState.class);
        assertThat(before.epochsDone()).isBetween(2, 5);
        assertThat(before.finished()).isFalse();
        CheckpointFiles saved = folder.checkpoint(before.epochsDone());
        assertThat(saved.averageParams()).as("the weight average is checkpointed beside the last weights").isRegularFile();
        assertThat(saved.adamState()).as("so are Adam's moments (FusedAdamTest checks a restored optimizer steps as before)")
                .isRegularFile();
        Path killedAt = tmp.resolve("killed.params");
        Files.copy(saved.lastParams(), killedAt);
        // What a kill between the next epoch's files and its state.json leaves: files the state does not name.
        CheckpointFiles unfinished = folder.checkpoint(before.epochsDone() + 1);
        Files.createDirectories(unfinished.dir());
        Files.write(unfinished.lastParams(), new byte[] {1, 2, 3});
        Files.write(unfinished.adamState(), new byte[] {4, 5, 6});
        Path leftoverTemp = folder.checkpointDir().resolve(".state.json.1234.tmp");
        Files.writeString(leftoverTemp, "{");

        CliRunner.Result resumed = CliRunner.run("train", "-q", "--resume", "--out", run.toString());
        assertThat(resumed.exit()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("Resuming " + run + " at epoch " + (before.epochsDone() + 1))
                .doesNotContain("no optimizer state");

        TrainingState after = Json.read(folder.state(), TrainingState.class);
        assertThat(after.finished()).isTrue();
        assertThat(after.epochsDone()).isEqualTo(6);
        assertThat(after.step()).isGreaterThan(before.step());
        EpochMetrics[] all = Json.read(folder.allMetrics(), EpochMetrics[].class);
        assertThat(all).extracting(EpochMetrics::epoch).containsExactly(1, 2, 3, 4, 5, 6);
        // The kept history is the one from before the crash, not a restart.
        for (int i = 0; i < before.epochsDone(); i++) {
            assertThat(all[i].loss()).isEqualTo(before.history().get(i).loss());
        }
        assertThat(all[before.epochsDone()].learningRate()).isEqualTo(before.learningRate(), org.assertj.core.api.Assertions.offset(1e-9));
        assertThat(run.resolve("model.json")).exists();
        // The resumed epochs trained the loaded weights (a trainer keeps the arrays it was made with:
        // weights loaded into new arrays were checkpointed unchanged while fresh ones trained).
        float[] killed = firstWeights(run, killedAt);
        CheckpointFiles end = folder.checkpoint(6);
        float[] resumedTo = firstWeights(run, end.lastParams());
        assertThat(Arrays.equals(resumedTo, killed)).as("the first layer's weights are the same after the resumed epochs").isFalse();
        try (var left = Files.list(folder.checkpointDir())) {
            assertThat(left).as("only the last epoch's checkpoint and the state naming it are kept")
                    .containsExactlyInAnyOrder(end.dir(), folder.state());
        }

        byte[] indexBefore = java.nio.file.Files.readAllBytes(folder.index().resolve("index.csv"));
        CliRunner.Result again = CliRunner.run("train", "-q", "--data", data.toString(), "--out", run.toString(), "--split", "50/25/25");
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("already holds a training run").contains("--resume");
        // Refused before touching anything: the run's own index is unchanged.
        assertThat(java.nio.file.Files.readAllBytes(folder.index().resolve("index.csv"))).isEqualTo(indexBefore);
    }

    /** The first layer's weights in a params file of the run. */
    private static float[] firstWeights(Path run, Path params) throws java.io.IOException {
        ModelSpec spec = ModelBundle.readManifest(run).spec();
        try (NDManager manager = Engines.pytorch().newBaseManager()) {
            Block block = Weights.newBlock(spec, manager);
            Weights.readParams(block, manager, params);
            return block.getParameters().valueAt(0).getArray().toFloatArray();
        }
    }

    @Test
    void stepsPerEpochAndValidationLimitBoundAnEpoch() throws Exception {
        Path data = TestModels.generate(tmp.resolve("steps-data"), 240, 6);
        Path run = tmp.resolve("steps-run");
        CliRunner.Result r = CliRunner.run("train", "-q", "--data", data.toString(), "--out", run.toString(), "--epochs", "2",
                "--input", "3x32x96", "--batch-size", "16", "--steps-per-epoch", "2", "--val-limit", "5");
        assertThat(r.exit()).as(r.err()).isZero();
        // 168 training images would be 11 steps of 16; 24 validation images are sampled down to 5.
        assertThat(r.out()).contains("validating on 5; 2 steps/epoch");
        EpochMetrics[] all = Json.read(new RunFolder(run).allMetrics(), EpochMetrics[].class);
        assertThat(all).hasSize(2);
        assertThat(r.out()).contains("Done (finished 2 epochs)");
    }

    @Test
    void theNotebookRecipeKeepsItsOwnAugmentationUnlessAnOptionReplacesIt() {
        assertThat(parsedConfig().augmentation()).isEqualTo(Augmentation.DEFAULT);
        assertThat(parsedConfig("--recipe", "notebook").augmentation()).isEqualTo(Augmentation.DEFAULT.withoutAffine());
        assertThat(parsedConfig("--recipe", "notebook", "--no-augment").augmentation()).isEqualTo(Augmentation.NONE);
        assertThat(parsedConfig("--no-affine").augmentation().hasAffine()).isFalse();
        TrainConfig notebook = parsedConfig("--recipe", "notebook", "--arch", "seed-cnn");
        assertThat(notebook.plateauFromStart()).isTrue();
        assertThat(notebook.warmupEpochs()).isZero();
        assertThat(notebook.architecture()).isEqualTo(Architecture.SEED_CNN);
    }

    private static TrainConfig parsedConfig(String... args) {
        TrainCommand train = new TrainCommand();
        new CommandLine(train).parseArgs(args);
        return train.config();
    }

    @Test
    void unknownRecipesAndStemsAreRefusedBeforeAnythingIsWritten() {
        Path run = tmp.resolve("recipe-run");
        CliRunner.Result r = CliRunner.run("train", "-q", "--data", tmp.toString(), "--out", run.toString(), "--recipe", "fast");
        assertThat(r.exit()).isEqualTo(2); // bad usage
        assertThat(r.err()).startsWith("error: Invalid value for option '--recipe': 'fast' is not one of default, notebook");
        assertThat(run).doesNotExist();
        CliRunner.Result stem = CliRunner.run("train", "-q", "--data", tmp.toString(), "--out", run.toString(), "--stem", "wide");
        assertThat(stem.exit()).isEqualTo(2);
        assertThat(stem.err()).startsWith("error: Invalid value for option '--stem': 'wide' is not one of pooled, strided");
        assertThat(run).doesNotExist();
    }

    @Test
    void solvePrintsTabSeparatedOrJsonAndFailsOnUnreadableFiles() throws Exception {
        Path model = TestModels.sharedCrnn();
        Path data = model.getParent().resolve("data");
        CliRunner.Result r = CliRunner.run("solve", "-q", "--model", model.toString(), data.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(200);
        assertThat(lines).allMatch(l -> l.split("\t").length == 3);

        Path broken = tmp.resolve("broken.png");
        Files.writeString(broken, "nope");
        Path one = Files.list(data).filter(p -> p.toString().endsWith(".png")).findFirst().orElseThrow();
        CliRunner.Result j = CliRunner.run("solve", "-q", "--json", "--min-confidence", "1.01", "--model", model.toString(),
                one.toString(), broken.toString());
        assertThat(j.exit()).isEqualTo(1);
        assertThat(j.err()).contains("broken.png").contains("not an image");
        JsonNode row = Json.MAPPER.readTree(j.out().lines().findFirst().orElseThrow());
        assertThat(row.get("file").asText()).isEqualTo(one.toString());
        assertThat(row.get("low").asBoolean()).isTrue();
        assertThat(row.get("chars")).hasSize(row.get("text").asText().length());
    }

    @Test
    void solveIntoAFileContinuesAfterAKillWithoutAnsweringAnyImageTwice() throws Exception {
        Path model = TestModels.sharedCrnn();
        Path data = model.getParent().resolve("data");
        Path whole = tmp.resolve("answers/whole.tsv");
        CliRunner.Result r = CliRunner.run("solve", "-q", "--model", model.toString(), "--out", whole.toString(), data.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEmpty();
        List<String> lines = Files.readAllLines(whole);
        assertThat(lines).hasSize(200);

        // What a kill leaves: whole lines up to the last flushed batch, then part of a line.
        Path cut = tmp.resolve("answers/cut.tsv");
        Files.writeString(cut, String.join("\n", lines.subList(0, 70)) + "\n" + lines.get(70).substring(0, 7));
        CliRunner.Result rerun = CliRunner.run("solve", "-q", "--model", model.toString(), "--out", cut.toString(), data.toString());
        assertThat(rerun.exit()).as(rerun.err()).isZero();
        assertThat(rerun.err()).contains("70 of 200 images answered already; solving the other 130");
        List<String> resumed = Files.readAllLines(cut);
        assertThat(resumed).hasSize(200);
        for (int i = 0; i < 200; i++) {
            String[] a = lines.get(i).split("\t");
            String[] b = resumed.get(i).split("\t");
            assertThat(b[0]).as("line %d", i).isEqualTo(a[0]);
            assertThat(b[1]).as("line %d", i).isEqualTo(a[1]);
            // Batches start at other images after the cut; the engine may round differently in the last bits.
            assertThat(Double.parseDouble(b[2])).as("line %d", i).isCloseTo(Double.parseDouble(a[2]), within(2e-4));
        }

        byte[] finished = Files.readAllBytes(cut);
        CliRunner.Result done = CliRunner.run("solve", "-q", "--model", model.toString(), "--out", cut.toString(), data.toString());
        assertThat(done.exit()).as(done.err()).isZero();
        assertThat(done.err()).contains("200 of 200 images answered already; solving the other 0");
        assertThat(Files.readAllBytes(cut)).isEqualTo(finished);

        Path foreign = tmp.resolve("answers/foreign.tsv");
        Files.writeString(foreign, "elsewhere/x.png\tabc\t0.9000\nno line break at the end");
        byte[] before = Files.readAllBytes(foreign);
        CliRunner.Result refused = CliRunner.run("solve", "-q", "--model", model.toString(), "--out", foreign.toString(), data.toString());
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err().strip()).startsWith("error: " + foreign).contains("elsewhere/x.png").contains("a new --out")
                .doesNotContain("\n");
        assertThat(Files.readAllBytes(foreign)).as("a file that is not this run's answers is left alone").isEqualTo(before);

        CliRunner.Result mixed = CliRunner.run("solve", "-q", "--json", "--model", model.toString(), "--out", whole.toString(),
                data.toString());
        assertThat(mixed.exit()).isEqualTo(1);
        assertThat(mixed.err().strip()).startsWith("error: " + whole).contains("not a JSON line").contains("without --json");
    }

    @Test
    void evaluateWritesTheReport() throws Exception {
        Path out = tmp.resolve("eval");
        CliRunner.Result r = CliRunner.run("evaluate", "-q", "--model", TestModels.sharedCrnn().toString(), "--out", out.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("sequence accuracy").contains("Report: ");
        assertThat(out.resolve("report.html")).exists();
        assertThat(out.resolve("metrics/metrics.json")).exists();
        CliRunner.Result bad = CliRunner.run("evaluate", "-q", "--model", tmp.resolve("missing").toString());
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err().strip()).startsWith("error: ").contains("missing");
    }
}
