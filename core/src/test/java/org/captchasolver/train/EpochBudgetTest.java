package org.captchasolver.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class EpochBudgetTest {
    private static final EpochBudget FIFTEEN_MINUTES = new EpochBudget(300, 900);

    private static List<EpochMetrics> epochsTaking(double... seconds) {
        List<EpochMetrics> h = new ArrayList<>();
        for (int i = 0; i < seconds.length; i++) {
            h.add(new EpochMetrics(i + 1, 0, 0, 0, 0, 0, List.of(), 1e-3, seconds[i], 0, 0, 0, 0));
        }
        return h;
    }

    @Test
    void theFirstPlanFitsTheBudgetAtTheFirstEpochsSpeedWithinTheCap() {
        assertThat(FIFTEEN_MINUTES.planned(1, 37)).isEqualTo(24);
        assertThat(FIFTEEN_MINUTES.planned(1, 1)).as("capped").isEqualTo(300);
        assertThat(FIFTEEN_MINUTES.planned(1, 2000)).as("at least one more epoch").isEqualTo(2);
        assertThat(new EpochBudget(50, 0).planned(1, 37)).as("no budget: the cap").isEqualTo(50);
    }

    @Test
    void theReplanFitsTheTimeLeftAtThePaceOfTheEpochsAfterTheFirst() {
        // A colorful run: a 37-second first epoch planned 24 epochs; the others took 32 s.
        double[] seconds = new double[12];
        Arrays.fill(seconds, 32);
        seconds[0] = 37;
        List<EpochMetrics> h = epochsTaking(seconds);
        double soFar = 37 + 11 * 32 + 5; // 5 s of set-up before the first epoch
        assertThat(FIFTEEN_MINUTES.replanned(12, h, soFar)).as("15 more at 32 s in the 506 s left").isEqualTo(27);
        // A host that slowed down shortens the plan the same way.
        Arrays.fill(seconds, 1, 12, 45);
        assertThat(FIFTEEN_MINUTES.replanned(12, epochsTaking(seconds), 37 + 11 * 45)).as("8 more at 45 s in the 368 s left").isEqualTo(20);
    }

    @Test
    void theReplanStaysWithinTheCapAndGivesAtLeastOneMoreEpoch() {
        List<EpochMetrics> h = epochsTaking(10, 1, 1);
        assertThat(new EpochBudget(40, 900).replanned(3, h, 12)).isEqualTo(40);
        assertThat(FIFTEEN_MINUTES.replanned(3, epochsTaking(300, 300, 300), 950)).isEqualTo(4);
        assertThat(new EpochBudget(40, 0).replanned(3, h, 12)).as("no budget: the cap").isEqualTo(40);
    }

    @Test
    void aFinalAnnealLastsHalfTheEpochsSoFarWithinCapPlanAndTime() {
        assertThat(FIFTEEN_MINUTES.finalAnnealEpochs(20, 30, 600, Integer.MAX_VALUE)).isEqualTo(10);
        assertThat(FIFTEEN_MINUTES.finalAnnealEpochs(20, 30, 600, 4)).as("what the plan had left").isEqualTo(4);
        assertThat(FIFTEEN_MINUTES.finalAnnealEpochs(20, 30, 780, Integer.MAX_VALUE)).as("the time left").isEqualTo(4);
        assertThat(new EpochBudget(24, 0).finalAnnealEpochs(20, 30, 780, Integer.MAX_VALUE)).as("the cap").isEqualTo(4);
    }
}
