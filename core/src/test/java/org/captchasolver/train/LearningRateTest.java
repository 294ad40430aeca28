package org.captchasolver.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import org.captchasolver.common.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LearningRateTest {
    @Test
    void warmsUpHoldsThenAnnealsOverTheSecondHalfOfThePlan() {
        LearningRate lr = new LearningRate(1f, 10, 0);
        assertThat(lr.current()).isEqualTo(0.1f);
        for (int i = 0; i < 10; i++) {
            lr.advance();
        }
        assertThat(lr.current()).isEqualTo(1f); // no plan yet: the base
        lr.plan(100);
        for (int i = 10; i < 50; i++) {
            lr.advance();
        }
        assertThat(lr.current()).isEqualTo(1f); // first half of the plan: still the base
        for (int i = 50; i < 75; i++) {
            lr.advance();
        }
        assertThat(lr.current()).isCloseTo(LearningRate.FLOOR + (1 - LearningRate.FLOOR) * 0.5f, within(1e-6f));
        for (int i = 75; i < 130; i++) {
            lr.advance();
        }
        assertThat(lr.current()).isCloseTo(LearningRate.FLOOR, within(1e-7f)); // past the plan: the floor
        lr.setBase(0.5f); // the plateau rule lowers the base; the schedule scales with it
        assertThat(lr.current()).isCloseTo(0.5f * LearningRate.FLOOR, within(1e-7f));
    }

    @Test
    void annealsOverAStretchItIsGiven() {
        LearningRate lr = new LearningRate(1f, 0, 0);
        lr.plan(30, 50); // patience ran out at step 30: the cosine runs from there
        for (int i = 0; i < 30; i++) {
            lr.advance();
        }
        assertThat(lr.annealing()).isTrue();
        assertThat(lr.current()).isEqualTo(1f);
        for (int i = 30; i < 40; i++) {
            lr.advance();
        }
        assertThat(lr.current()).isCloseTo(LearningRate.FLOOR + (1 - LearningRate.FLOOR) * 0.5f, within(1e-6f));
        for (int i = 40; i < 50; i++) {
            lr.advance();
        }
        assertThat(lr.current()).isCloseTo(LearningRate.FLOOR, within(1e-7f));
    }

    @Test
    void knowsWhenTheCosineStartsWithinTheNextEpochIncludingOnItsBoundary() {
        LearningRate lr = new LearningRate(1f, 0, 0);
        assertThat(lr.annealStartsWithin(10)).as("no plan yet").isFalse();
        lr.plan(240); // 24 epochs of 10 steps: the cosine starts at step 120, the boundary after epoch 12
        for (int i = 0; i < 110; i++) {
            lr.advance();
        }
        assertThat(lr.annealStartsWithin(10)).as("after epoch 11: starts at the end of the next").isFalse();
        for (int i = 110; i < 120; i++) {
            lr.advance();
        }
        assertThat(lr.annealing()).isTrue();
        assertThat(lr.annealStartsWithin(10)).as("after epoch 12: starts now").isTrue();
        lr.advance();
        assertThat(lr.annealStartsWithin(10)).as("once it has begun").isFalse();

        LearningRate odd = new LearningRate(1f, 0, 0);
        odd.plan(230); // 23 epochs: the cosine starts at step 115, within epoch 12
        for (int i = 0; i < 110; i++) {
            odd.advance();
        }
        assertThat(odd.annealing()).isFalse();
        assertThat(odd.annealStartsWithin(10)).isTrue();
    }

    @Test
    void aStateWrittenBeforeTheAnnealStartWasSavedAnnealsOverTheSecondHalf(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("state.json");
        Files.writeString(file, """
                {"epochsDone":3,"step":90,"learningRate":0.002,"bestMonitored":0.5,"bestEpoch":3,"earlyStopBadEpochs":0,
                 "lrBadEpochs":0,"lrBest":0.1,"secondsSoFar":12.0,"finished":false,"history":[],"plannedSteps":300}
                """);
        TrainingState state = Json.read(file, TrainingState.class);
        assertThat(state.annealStart()).isEqualTo(150);
        assertThat(state.finalAnneal()).isFalse();
    }
}
