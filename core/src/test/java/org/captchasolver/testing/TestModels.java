package org.captchasolver.testing;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
     * One tiny CRNN per test JVM (trained on first use, about half a minute), for the tests of
     * evaluation, solving and serving. Its training data sits in {@code data/} beside the run folder.
     */
    public static synchronized Path sharedCrnn() throws IOException {
        if (shared == null) {
            // Under the module's build folder, so `mvn clean` removes it rather than /tmp collecting one per test JVM.
            Path build = Files.createDirectories(Path.of("target"));
            Path work = Files.createTempDirectory(build, "test-model");
            shared = trainTinyCrnn(work, 200, 50).folder().dir();
        }
        return shared;
    }

    public static PrintStream quiet() {
        return new PrintStream(java.io.OutputStream.nullOutputStream());
    }

}
