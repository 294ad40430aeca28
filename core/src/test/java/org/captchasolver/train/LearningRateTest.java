package org.captchasolver.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

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
}
