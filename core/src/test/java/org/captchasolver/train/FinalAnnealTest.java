package org.captchasolver.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.captchasolver.augment.Augmentation;
import org.captchasolver.common.Json;
import org.captchasolver.dataset.DatasetIndex;
import org.captchasolver.dataset.DatasetIndexer;
import org.captchasolver.dataset.IndexOptions;
import org.captchasolver.dataset.SplitRatios;
import org.captchasolver.model.Architecture;
import org.captchasolver.model.ModelBundle;
import org.captchasolver.model.ModelManifest;
import org.captchasolver.testing.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run whose patience runs out before its planned anneal anneals then, over half the epochs so far,
 * and stops at the end of it. 32 images, monitored on themselves: the model reads them all long
 * before the plan's anneal (epoch 200 of a 400-epoch cap), so patience runs out in the full-LR phase.
 */
class FinalAnnealTest {
    private static final float BASE = 3e-3f;

    @TempDir Path tmp;

    /** 32 images validated on themselves, one step an epoch at a constant base LR until the plan anneals. */
    private TrainingRun.Result trainOnThemselves(int epochs, int patience) throws Exception {
        Path data = TestModels.generate(tmp.resolve("data"), 32, 5);
        DatasetIndex index = new DatasetIndexer(IndexOptions.builder().ratios(new SplitRatios(1, 0, 0)).build()).index(data);
        TrainConfig config = TrainConfig.builder().architecture(Architecture.CRNN).input(TestModels.CRNN_INPUT).epochs(epochs)
                .batchSize(32).learningRate(BASE).warmupEpochs(0).augmentation(Augmentation.NONE).earlyStopPatience(patience)
                .lrPatience(1000).monitor("val_seq_acc").maxMinutes(0).seed(3).build();
        return TrainingRun.start(index, config, tmp.resolve("run"), TestModels.quiet());
    }

    @Test
    void patienceRunningOutAnnealsOverHalfTheEpochsSoFarThenStops() throws Exception {
        TrainingRun.Result r = trainOnThemselves(400, 3);

        List<EpochMetrics> h = r.history();
        // The index of the first epoch below the base is the number of the last epoch at it (epochs count from 1).
        int patienceOut = 0;
        while (patienceOut < h.size() && h.get(patienceOut).learningRate() >= BASE) {
            patienceOut++;
        }
        assertThat(patienceOut).as("patience ran out before the plan's anneal").isBetween(4, 199);
        assertThat(h).as("the anneal lasted half the epochs before it").hasSize(patienceOut + patienceOut / 2);
        for (int i = patienceOut + 1; i < h.size(); i++) {
            assertThat(h.get(i).learningRate()).isLessThanOrEqualTo(h.get(i - 1).learningRate());
        }
        assertThat(h.get(h.size() - 1).learningRate()).isCloseTo(BASE * LearningRate.FLOOR, within(1e-9));
        assertThat(r.stopReason()).contains("annealed");
        TrainingState state = Json.read(r.folder().state(), TrainingState.class);
        assertThat(state.finalAnneal()).isTrue();
        assertThat(state.finished()).isTrue();
        assertThat(state.annealStart()).isEqualTo(patienceOut);

        // The annealed end is what the bundle ships: the last epoch's averaged weights and its scores.
        EpochMetrics end = h.get(h.size() - 1);
        assertThat(r.keptEpoch()).isEqualTo(end.epoch());
        assertThat(r.manifest().training()).containsEntry("keptEpoch", end.epoch()).containsEntry("bestEpoch", r.bestEpoch());
        assertThat(r.manifest().metrics()).containsEntry("val_loss", end.valLoss());
        ModelManifest written = ModelBundle.readManifest(r.folder().dir());
        assertThat(written.training()).containsEntry("keptEpoch", end.epoch());
        assertThat(Files.readAllBytes(r.folder().dir().resolve(ModelBundle.PARAMS)))
                .isEqualTo(Files.readAllBytes(r.folder().checkpoint(end.epoch()).averageParams()));
    }

    /**
     * The same 32 images under an 80-epoch plan: its cosine begins after epoch 40, the model reads them
     * all at about epoch 53, so patience runs out mid-cosine. The run goes on to the plan's end, the LR
     * falling from where it was (not back at the peak) to the floor of that value.
     */
    @Test
    void patienceRunningOutDuringThePlannedAnnealFinishesItFromTheLrReached() throws Exception {
        TrainingRun.Result r = trainOnThemselves(80, 5);

        List<EpochMetrics> h = r.history();
        TrainingState state = Json.read(r.folder().state(), TrainingState.class);
        int patienceOut = state.annealStart(); // one step an epoch: 32 images, batches of 32
        assertThat(state.finalAnneal()).isTrue();
        assertThat(patienceOut).as("patience ran out inside the plan's cosine").isBetween(41, 78);
        assertThat(h.get(patienceOut - 1).learningRate()).as("the plan's cosine had begun").isLessThan(BASE);
        assertThat(h).as("the run went on to the plan's end").hasSize(80);
        for (int i = patienceOut; i < h.size(); i++) {
            assertThat(h.get(i).learningRate()).isLessThanOrEqualTo(h.get(i - 1).learningRate());
        }
        assertThat(h.get(h.size() - 1).learningRate())
                .isCloseTo(h.get(patienceOut - 1).learningRate() * LearningRate.FLOOR, within(1e-9));
        assertThat(r.stopReason()).contains("annealed");
        assertThat(state.finished()).isTrue();
    }
}
