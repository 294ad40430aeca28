package org.captchasolver.testing;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.captchasolver.augment.Augmentation;
import org.captchasolver.dataset.DatasetIndex;
import org.captchasolver.dataset.DatasetIndexer;
import org.captchasolver.dataset.IndexOptions;
import org.captchasolver.dataset.SplitRatios;
import org.captchasolver.generate.CaptchaStyle;
import org.captchasolver.generate.DatasetGenerator;
import org.captchasolver.generate.GeneratorConfig;
import org.captchasolver.image.InputShape;
import org.captchasolver.model.Architecture;
import org.captchasolver.train.TrainConfig;
import org.captchasolver.train.TrainingRun;

/** Real models trained for a few seconds on small generated sets, for tests of everything downstream. */
public final class TestModels {
    public static final String CHARSET = "abcd2345";
    public static final InputShape CRNN_INPUT = new InputShape(3, 32, 96);

    private TestModels() {}

    public static Path generate(Path dir, int count, long seed) throws IOException {
        GeneratorConfig cfg = GeneratorConfig.builder().count(count).seed(seed).charset(CHARSET).length(3, 4)
                .size(120, 40).style(CaptchaStyle.CLEAN).build();
        new DatasetGenerator(cfg).generate(dir);
        return dir;
    }

    /**
     * A CRNN that reads its own small training set almost perfectly and about half of its validation
     * images. It follows the product's cosine schedule: at a constant rate the same 50 epochs memorise
     * the training set and read no validation image, so the kept checkpoint was an early one that
     * read nothing at all.
     */
    public static TrainingRun.Result trainTinyCrnn(Path work, int images, int epochs) throws IOException {
        Path data = generate(work.resolve("data"), images, 11);
        DatasetIndex index = new DatasetIndexer(IndexOptions.builder().ratios(new SplitRatios(0.75, 0.125, 0.125)).build()).index(data);
        TrainConfig config = TrainConfig.builder().architecture(Architecture.CRNN).input(CRNN_INPUT).epochs(epochs)
                .batchSize(16).learningRate(3e-3f).augmentation(Augmentation.NONE).earlyStopPatience(1000)
                .monitor("val_seq_acc").seed(1).build();
        return TrainingRun.start(index, config, work.resolve("run"), quiet());
    }

    private static Path shared;

    /**
     * One tiny CRNN per build (trained on first use, about half a minute), for the tests of evaluation,
     * solving and serving. Its training data sits in {@code data/} beside the run folder. Tests read it
     * or copy it; none may change it.
     */
    public static synchronized Path sharedCrnn() throws IOException {
        if (shared == null) {
            String perBuild = System.getProperty(PER_BUILD_FOLDER);
            shared = perBuild != null ? trainOncePerBuild(Path.of(perBuild)) : trainUnder(Path.of("target"));
        }
        return shared;
    }

    /**
     * The folder the build names for models every module's tests share: one per Maven invocation, so
     * four test JVMs train the model once, and a changed trainer is never read from an earlier build.
     */
    static final String PER_BUILD_FOLDER = "captcha.test.models";

    private static Path trainUnder(Path build) throws IOException {
        // Under the module's build folder, so `mvn clean` removes it rather than /tmp collecting one per test JVM.
        Path work = Files.createTempDirectory(Files.createDirectories(build), "test-model");
        return trainTinyCrnn(work, 200, 50).folder().dir();
    }

    /** Trains under a file lock, so that a second JVM waits for the first and reads what it wrote. */
    private static Path trainOncePerBuild(Path folder) throws IOException {
        Files.createDirectories(folder);
        Path done = folder.resolve("tiny-crnn.done");
        try (FileChannel lockFile = FileChannel.open(folder.resolve("tiny-crnn.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock ignored = lockFile.lock()) {
            if (Files.exists(done)) {
                return Path.of(Files.readString(done).trim());
            }
            // A JVM killed while training leaves no marker, so its half-written folder is never read.
            Path work = Files.createTempDirectory(folder, "tiny-crnn");
            Path run = trainTinyCrnn(work, 200, 50).folder().dir();
            Files.writeString(done, run.toAbsolutePath().toString());
            return run;
        }
    }

    public static PrintStream quiet() {
        return new PrintStream(java.io.OutputStream.nullOutputStream());
    }

}
