package org.captchasolver.train;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.captchasolver.dataset.DatasetIndex;
import org.captchasolver.dataset.DatasetIndexer;
import org.captchasolver.dataset.IndexOptions;
import org.captchasolver.dataset.SplitRatios;
import org.captchasolver.generate.CaptchaStyle;
import org.captchasolver.generate.DatasetGenerator;
import org.captchasolver.generate.GeneratorConfig;

/**
 * Builds the base recogniser that {@code --init base} fine-tunes: a CRNN trained with the default recipe on
 * {@link CaptchaStyle#MIXED} images of 3-8 characters drawn from digits and both cases. Interrupted, it
 * continues where it stopped: a finished image set is kept, a training run resumes from its last epoch.
 *
 * @param images     how many images to generate (95% train, 5% validation)
 * @param maxMinutes the training budget
 * @param seed       seeds the images and the training
 */
public record Pretraining(int images, double maxMinutes, long seed) {
    /** The base recogniser's alphabet. */
    public static final String CHARSET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    /** The shortest and longest labels of the pre-training images. */
    public static final int MIN_LENGTH = 3;
    /** See {@link #MIN_LENGTH}. */
    public static final int MAX_LENGTH = 8;
    static final int STEPS_PER_EPOCH = 300;
    static final int VALIDATION_IMAGES = 1000;

    public Pretraining {
        if (images < 100) {
            throw new IllegalArgumentException("--count must be at least 100");
        }
        if (!(maxMinutes > 0)) {
            throw new IllegalArgumentException("--max-minutes must be positive");
        }
    }

    /** The generator settings of the pre-training images. */
    public GeneratorConfig generator() {
        return GeneratorConfig.builder().count(images).styles(List.of(CaptchaStyle.MIXED)).charset(CHARSET)
                .length(MIN_LENGTH, MAX_LENGTH).seed(seed).build();
    }

    /**
     * Generates the images into {@code out/data} (unless a finished set is there) and trains {@code out/run}.
     *
     * @return the finished run; its folder is a model bundle that {@code --init} takes
     * @throws IOException when the folders cannot be written
     */
    public TrainingRun.Result run(Path out, PrintStream log) throws IOException {
        Path data = out.resolve("data");
        Path runDir = out.resolve("run");
        if (Files.isRegularFile(new RunFolder(runDir).state())) {
            return TrainingRun.resume(runDir, log);
        }
        if (!Files.isRegularFile(data.resolve("labels.csv"))) { // written last: its presence marks a finished set
            DatasetGenerator.Result r = new DatasetGenerator(generator()).generate(data);
            log.printf("Generated %d mixed images in %s (%.0f s)%n", r.images(), data, r.seconds());
        }
        DatasetIndex index = new DatasetIndexer(IndexOptions.builder().ratios(SplitRatios.parse("95/5/0")).seed(seed).build())
                .index(data);
        // Epochs of 300 steps, each a fresh sample: a pass over tens of thousands of images would leave the budget a
        // handful of epochs to plan its anneal with, and validation on 1,000 images keeps its cost small.
        TrainConfig config = TrainConfig.builder().maxMinutes(maxMinutes).stepsPerEpoch(STEPS_PER_EPOCH).valLimit(VALIDATION_IMAGES)
                .seed(seed).build();
        return TrainingRun.start(index, config, runDir, log);
    }
}
