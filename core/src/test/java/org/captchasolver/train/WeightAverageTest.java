package org.captchasolver.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import org.captchasolver.network.Engines;
import org.junit.jupiter.api.Test;

class WeightAverageTest {

    @Test
    void averageFollowsTheWeightsAndSwappingTwiceRestoresBoth() {
        try (NDManager manager = Engines.pytorch().newBaseManager()) {
            Linear block = Linear.builder().setUnits(2).build();
            block.setInitializer(Initializer.ONES, Parameter.Type.WEIGHT);
            block.setInitializer(Initializer.ONES, Parameter.Type.BIAS);
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 3));
            WeightAverage average = new WeightAverage(block, 0);

            setAll(block, 3f); // as if a step moved every weight from 1 to 3
            average.update();
            float keep = WeightAverage.decay(1);
            float expected = keep * 1f + (1 - keep) * 3f;

            average.swap();
            for (float v : values(block)) {
                assertThat(v).isCloseTo(expected, within(1e-6f));
            }
            average.swap();
            for (float v : values(block)) {
                assertThat(v).isEqualTo(3f);
            }
            average.swap();
            assertThat(values(block)[0]).isCloseTo(expected, within(1e-6f));
        }
    }

    @Test
    void decayGrowsWithTheStepsUpToItsCap() {
        assertThat(WeightAverage.decay(0)).isCloseTo(0.1f, within(1e-6f));
        assertThat(WeightAverage.decay(90)).isCloseTo(0.91f, within(1e-6f));
        assertThat(WeightAverage.decay(1_000_000)).isEqualTo(WeightAverage.MAX_DECAY);
    }

    private static void setAll(Linear block, float value) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            NDArray a = p.getValue().getArray();
            float[] v = new float[(int) a.size()];
            java.util.Arrays.fill(v, value);
            a.set(v);
        }
    }

    private static float[] values(Linear block) {
        List<Float> all = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            for (float f : p.getValue().getArray().toFloatArray()) {
                all.add(f);
            }
        }
        float[] out = new float[all.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = all.get(i);
        }
        return out;
    }
}
