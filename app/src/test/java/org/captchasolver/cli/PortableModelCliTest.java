package org.captchasolver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.captchasolver.dataset.DatasetIndex;
import org.captchasolver.model.ModelBundle;
import org.captchasolver.testing.TestModels;
import org.captchasolver.train.RunFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line on exported models, on either engine, and where PyTorch is missing. */
class PortableModelCliTest {
    @TempDir Path tmp;

    @Test
    void anExportedOnnxFileSolvesAsTheRunFolderDoesOnPytorch() throws Exception {
        Path model = TestModels.sharedCrnn();
        DatasetIndex index = DatasetIndex.read(new RunFolder(model).index());
        String images = index.pathOf(index.entries().get(0)).getParent().toString();

        Path onnx = tmp.resolve("copy/reader.onnx");
        Files.createDirectories(onnx.getParent());
        CliRunner.Result export = CliRunner.run("export", "-m", model.toString(), "-o", onnx.toString());
        assertThat(export.exit()).as(export.err()).isZero();
        assertThat(export.out()).contains("Wrote " + onnx).contains("agree within").doesNotContain("recorded in model.json");

        CliRunner.Result fromOnnx = CliRunner.run("solve", "-m", onnx.toString(), images);
        CliRunner.Result onPytorch = CliRunner.run("solve", "-m", model.toString(), "--engine", "pytorch", images);
        assertThat(fromOnnx.exit()).as(fromOnnx.err()).isZero();
        assertThat(onPytorch.exit()).as(onPytorch.err()).isZero();
        assertThat(texts(fromOnnx.out())).hasSizeGreaterThan(20).isEqualTo(texts(onPytorch.out()));

        CliRunner.Result wrongEngine = CliRunner.run("solve", "-m", onnx.toString(), "--engine", "pytorch", images);
        assertThat(wrongEngine.exit()).isNotZero();
        assertThat(wrongEngine.err()).contains(onnx + " is an ONNX model");
        CliRunner.Result badEngine = CliRunner.run("solve", "-m", onnx.toString(), "--engine", "tensorflow", images);
        assertThat(badEngine.exit()).isEqualTo(2);
        assertThat(badEngine.err()).contains("'tensorflow' is not one of auto, onnx, pytorch");
    }

    /** The file and text columns of solve's output, without the confidence (the engines differ in its last digits). */
    private static List<String> texts(String out) {
        return out.lines().map(l -> l.substring(0, l.lastIndexOf('\t'))).toList();
    }

    @Test
    void withoutAPytorchBuildForThePlatformTrainingSaysSoInOneLineAndSolvingStillWorks() throws Exception {
        Path model = TestModels.sharedCrnn();
        DatasetIndex index = DatasetIndex.read(new RunFolder(model).index());
        Path image = index.pathOf(index.entries().get(0));
        String cp = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !e.contains("pytorch-native")).reduce((a, b) -> a + File.pathSeparator + b).orElseThrow();

        Run train = java(cp, "train", "-q", "--data", model.resolve("../data").normalize().toString(), "--out", tmp.resolve("run").toString());
        assertThat(train.exit).isEqualTo(1);
        assertThat(train.output.strip().lines()).singleElement().asString()
                .startsWith("error: no PyTorch native library for " + System.getProperty("os.name"))
                .contains("linux-x86_64, linux-aarch64, osx-aarch64 and win-x86_64");
        assertThat(tmp.resolve("run/" + ModelBundle.MANIFEST)).doesNotExist();

        Run solve = java(cp, "solve", "-m", model.toString(), image.toString());
        assertThat(solve.exit).as(solve.output).isZero();
        assertThat(solve.output).startsWith(image.toString() + "\t");
    }

    private record Run(int exit, String output) {}

    private Run java(String cp, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", cp, "-Djava.awt.headless=true", CaptchaCli.class.getName()));
        cmd.addAll(List.of(args));
        Path log = Files.createTempFile(tmp, "child", ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), Files.readString(log));
    }
}
