package org.captchasolver.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which epoch's weights a finished run ships: the annealed end, or the best on validation. */
class KeptEpochTest {
    private static final float PEAK = 2e-3f;

    /** Ten epochs whose validation peaks at epoch 4 and whose LR ends at the given value. */
    private static List<EpochMetrics> history(double lastLr) {
        List<EpochMetrics> h = new ArrayList<>();
        for (int e = 1; e <= 10; e++) {
            double acc = e == 4 ? 0.99 : 0.98;
            double lr = e == 10 ? lastLr : PEAK;
            h.add(new EpochMetrics(e, 0.1, 0.05, acc, acc, 1 - acc, List.of(acc), lr, 30, 300, 0, 0, 500));
        }
        return h;
    }

    private static TrainConfig.Builder recipe() {
        return TrainConfig.builder().learningRate(PEAK);
    }

    @Test
    void aRunEndingWithItsLrAnnealedKeepsItsLastEpoch() {
        assertThat(TrainingRun.keptEpoch(recipe().build(), history(PEAK * LearningRate.FLOOR), 4)).isEqualTo(10);
        assertThat(TrainingRun.keptEpoch(recipe().build(), history(PEAK * TrainingRun.SETTLED_LR), 4)).isEqualTo(10);
    }

    @Test
    void aRunStoppedBeforeItsLrCameDownKeepsItsBestEpoch() {
        assertThat(TrainingRun.keptEpoch(recipe().build(), history(PEAK * 0.25), 4)).isEqualTo(4);
    }

    @Test
    void aRunWithoutAnAnnealKeepsItsBestEpochWhateverTheLr() {
        // The notebook's recipe: plateau cuts alone can bring the LR down; the seed restored the best weights.
        assertThat(TrainingRun.keptEpoch(recipe().anneal(false).build(), history(PEAK * LearningRate.FLOOR), 4)).isEqualTo(4);
    }
}
