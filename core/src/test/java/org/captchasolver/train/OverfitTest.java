package org.captchasolver.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.captchasolver.augment.Augmentation;
import org.captchasolver.dataset.DatasetIndex;
import org.captchasolver.dataset.DatasetIndexer;
import org.captchasolver.dataset.IndexOptions;
import org.captchasolver.dataset.SplitRatios;
import org.captchasolver.image.InputShape;
import org.captchasolver.model.Architecture;
import org.captchasolver.testing.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each architecture must be able to learn 32 images perfectly: the whole training path works. */
class OverfitTest {
    @TempDir Path tmp;

    private TrainingRun.Result overfit(Architecture arch, InputShape input, float width, float lr, int steps) throws Exception {
        Path data = TestModels.generate(tmp.resolve("data"), 32, 5);
        // Everything in train: with no validation split, training monitors the training images themselves.
        DatasetIndex index = new DatasetIndexer(IndexOptions.builder().ratios(new SplitRatios(1, 0, 0)).build()).index(data);
        TrainConfig config = TrainConfig.builder().architecture(arch).input(input).widthMultiplier(width).epochs(steps).batchSize(32)
                .learningRate(lr).warmupEpochs(0).augmentation(Augmentation.NONE).earlyStopPatience(steps)
                .lrPatience(steps).monitor("val_seq_acc").seed(3).build();
        return TrainingRun.start(index, config, tmp.resolve("run"), TestModels.quiet());
    }

    private static void assertLearned(TrainingRun.Result r) {
        List<EpochMetrics> h = r.history();
        EpochMetrics kept = h.stream().filter(m -> m.epoch() == r.keptEpoch()).findFirst().orElseThrow();
        assertThat(kept.valSeqAcc()).as("sequence accuracy on the 32 images").isEqualTo(1.0);
        assertThat(kept.loss()).as("training loss fell by more than 90%").isLessThan(h.get(0).loss() * 0.1);
    }

    @Test
    void crnnLearns32ImagesPerfectly() throws Exception {
        assertLearned(overfit(Architecture.CRNN, TestModels.CRNN_INPUT, 1f, 3e-3f, 150));
    }

    @Test
    void seedCnnLearns32ImagesPerfectly() throws Exception {
        // The notebook's layers at a quarter of their width: the same network shape, 16x cheaper to test.
        assertLearned(overfit(Architecture.SEED_CNN, new InputShape(3, 32, 64), 0.25f, 3e-3f, 300));
    }
}
