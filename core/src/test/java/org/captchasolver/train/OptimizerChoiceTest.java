package org.captchasolver.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.optimizer.Optimizer;
import org.captchasolver.model.Engines;
import org.junit.jupiter.api.Test;

class OptimizerChoiceTest {

    /** A weight whose gradient is zero moves only by the decay: (1 - lr x decay) per step with AdamW, not at all with Adam. */
    @Test
    void weightDecayShrinksWeightsTheGradientLeavesAlone() {
        float lr = 0.01f;
        float decay = 0.5f;
        assertThat(weightAfterZeroGradientSteps(TrainConfig.builder().build(), lr, 10)).isEqualTo(1f);
        assertThat(weightAfterZeroGradientSteps(TrainConfig.builder().weightDecay(decay).build(), lr, 10))
                .isCloseTo((float) Math.pow(1 - lr * decay, 10), within(1e-5f));
    }

    @Test
    void negativeWeightDecayIsRefused() {
        assertThatThrownBy(() -> TrainConfig.builder().weightDecay(-0.1f).build()).hasMessageContaining("--weight-decay");
    }

    private static float weightAfterZeroGradientSteps(TrainConfig config, float lr, int steps) {
        try (NDManager manager = Engines.pytorch().newBaseManager()) {
            Optimizer optimizer = TrainingRun.optimizer(config, new LearningRate(lr, 0, 0));
            NDArray weight = manager.ones(new Shape(3));
            NDArray gradient = manager.zeros(weight.getShape());
            for (int i = 0; i < steps; i++) {
                optimizer.update("w", weight, gradient);
            }
            float[] values = weight.toFloatArray();
            assertThat(values[1]).isEqualTo(values[0]);
            return values[0];
        }
    }
}
