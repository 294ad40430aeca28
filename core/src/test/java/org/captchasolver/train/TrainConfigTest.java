package org.captchasolver.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.captchasolver.augment.Augmentation;
import org.captchasolver.common.Json;
import org.captchasolver.model.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainConfigTest {
    @Test
    void defaultPatienceIsCountedInStepsWithAFloorOfTenEpochs() {
        TrainConfig c = TrainConfig.builder().build();
        assertThat(c.earlyStopPatienceFor(23)).isEqualTo(44); // wilhelmy_v2: 728 training images, batch 32
        assertThat(c.earlyStopPatienceFor(313)).isEqualTo(10); // 10,000 images: the floor
        assertThat(c.lrPatienceFor(23)).isEqualTo(14);
        assertThat(c.lrPatienceFor(313)).isEqualTo(3);
        assertThat(c.monitor()).isEqualTo("val_seq_acc");
        assertThat(c.maxMinutes()).isEqualTo(TrainConfig.DEFAULT_MAX_MINUTES);
    }

    @Test
    void explicitPatienceAndTheNotebookRecipeKeepTheirEpochCounts() {
        assertThat(TrainConfig.builder().earlyStopPatience(5).build().earlyStopPatienceFor(23)).isEqualTo(5);
        TrainConfig notebook = TrainConfig.notebook().build();
        assertThat(notebook.earlyStopPatienceFor(23)).isEqualTo(7);
        assertThat(notebook.lrPatienceFor(23)).isEqualTo(3);
        assertThat(notebook.monitor()).isEqualTo("val_loss");
        assertThat(notebook.epochs()).isEqualTo(50);
        assertThat(notebook.maxMinutes()).isZero();
    }

    /**
     * A run is resumed from its train_config.json, so a field added later must read, when missing, as
     * what runs did before it existed: Adam rather than AdamW, pooling after the ReLU (the
     * checkpoint of an older run would not load into the new order), patience counted once the model reads.
     */
    @Test
    void configsWrittenBeforeWeightDecayPoolingAndPlateauFromStartExistedResumeAsTheyWere(@TempDir Path dir) throws Exception {
        TrainConfig fresh = TrainConfig.builder().weightDecay(0.05f).plateauFromStart(true).build();
        assertThat(fresh.pooling()).isEqualTo(ModelSpec.Pooling.BEFORE_NORM);
        ObjectNode json = Json.MAPPER.valueToTree(fresh);
        json.remove(List.of("weightDecay", "pooling", "plateauFromStart"));
        Path file = dir.resolve("train_config.json");
        Files.writeString(file, json.toString());
        TrainConfig old = Json.read(file, TrainConfig.class);
        assertThat(old.weightDecay()).isZero();
        assertThat(old.pooling()).isEqualTo(ModelSpec.Pooling.AFTER_ACTIVATION);
        assertThat(old.plateauFromStart()).isFalse();
    }

    @Test
    void negativeStepAndValidationLimitsAreRefused() {
        assertThatThrownBy(() -> TrainConfig.builder().stepsPerEpoch(-1).build()).hasMessageContaining("--steps-per-epoch");
        assertThatThrownBy(() -> TrainConfig.builder().valLimit(-2).build()).hasMessageContaining("--val-limit");
    }

    @Test
    void equalAccuracyIsOrderedByValidationLossButNeverOutranksOneMoreCorrectImage() {
        int val = 104;
        double confident = TrainingSchedule.seqAccScore(metrics(1.0, 0.005), val);
        double unsure = TrainingSchedule.seqAccScore(metrics(1.0, 0.06), val);
        double oneWrongButCertain = TrainingSchedule.seqAccScore(metrics(103.0 / 104, 0.0), val);
        double nanLoss = TrainingSchedule.seqAccScore(metrics(1.0, Double.NaN), val);
        assertThat(confident).isGreaterThan(unsure);
        assertThat(unsure).isGreaterThan(oneWrongButCertain);
        assertThat(nanLoss).isLessThan(unsure).isGreaterThan(oneWrongButCertain);
    }

    @Test
    void withoutAWholeCaptchaReadTheEpochReadingMoreCharactersIsKeptOverALowerLoss() {
        int val = 25;
        double readsNothing = TrainingSchedule.seqAccScore(metrics(0, 0, 8.9), val);
        double readsAFifth = TrainingSchedule.seqAccScore(metrics(0, 0.22, 13.6), val);
        double readsOne = TrainingSchedule.seqAccScore(metrics(1.0 / 25, 0.05, 20), val);
        assertThat(readsAFifth).isGreaterThan(readsNothing);
        assertThat(readsOne).isGreaterThan(readsAFifth);
    }

    @Test
    void augmentationWaitsUntilTheModelReadsExceptInTheNotebookRecipeWhichIsPhotometricOnly() {
        TrainConfig recipe = TrainConfig.builder().build();
        assertThat(TrainingRun.augmentationFor(recipe, false)).isEqualTo(Augmentation.NONE);
        assertThat(TrainingRun.augmentationFor(recipe, true)).isEqualTo(Augmentation.DEFAULT);
        TrainConfig notebook = TrainConfig.notebook().build();
        Augmentation photometric = TrainingRun.augmentationFor(notebook, false);
        assertThat(photometric.hasAffine()).isFalse();
        assertThat(photometric).isEqualTo(Augmentation.DEFAULT.withoutAffine());
        TrainConfig off = TrainConfig.builder().augmentation(Augmentation.NONE).build();
        assertThat(TrainingRun.augmentationFor(off, true)).isEqualTo(Augmentation.NONE);
    }

    /** The plateau rules of both recipes are TrainingScheduleTest's; the warm-up is the recipe's alone. */
    @Test
    void theNotebookRecipeStartsAtItsFullLearningRateWhereTheDefaultWarmsUp() {
        TrainConfig recipe = TrainConfig.builder().build();
        assertThat(new LearningRate(0.005f, recipe.warmupEpochs() * 23, 0).current()).isLessThan(0.005f);
        TrainConfig notebook = TrainConfig.notebook().build();
        assertThat(new LearningRate(0.005f, notebook.warmupEpochs() * 23, 0).current()).isEqualTo(0.005f);
    }

    private static EpochMetrics metrics(double seqAcc, double valLoss) {
        return metrics(seqAcc, seqAcc, valLoss);
    }

    private static EpochMetrics metrics(double seqAcc, double charAcc, double valLoss) {
        return new EpochMetrics(1, 0.1, valLoss, seqAcc, charAcc, 0, List.of(), 1e-3, 1, 100, 0, 0, 500);
    }
}
