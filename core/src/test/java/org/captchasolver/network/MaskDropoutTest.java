package org.captchasolver.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import org.junit.jupiter.api.Test;

class MaskDropoutTest {

    /** Inverted dropout: a rate's share of the values zeroed, the rest scaled so the mean is kept; the gradient is the same mask. */
    @Test
    void trainingDropsTheRatesShareAndScalesTheRestWhileInferenceIsTheIdentity() {
        float rate = 0.25f;
        int n = 200_000;
        try (NDManager m = Engines.pytorch().newBaseManager()) {
            MaskDropout dropout = new MaskDropout(rate);
            NDArray x = m.ones(new Shape(4, n / 4));
            x.setRequiresGradient(true);
            float[] y;
            try (GradientCollector gc = Engines.pytorch().newGradientCollector()) {
                NDArray out = dropout.forward(new ParameterStore(m, false), new NDList(x), true).singletonOrThrow();
                y = out.toFloatArray();
                gc.backward(out.sum());
            }
            long zeros = 0;
            for (float v : y) {
                if (v == 0) {
                    zeros++;
                } else {
                    assertThat(v).isCloseTo(1 / (1 - rate), within(1e-6f));
                }
            }
            assertThat(zeros / (double) n).isCloseTo(rate, within(0.01));
            assertThat(x.getGradient().toFloatArray()).containsExactly(y);

            NDArray again = dropout.forward(new ParameterStore(m, false), new NDList(x), true).singletonOrThrow();
            assertThat(again.toFloatArray()).as("a fresh mask every call").isNotEqualTo(y);
            NDArray z = m.arange(12f).reshape(3, 4);
            assertThat(dropout.forward(new ParameterStore(m, false), new NDList(z), false).singletonOrThrow().toFloatArray())
                    .containsExactly(z.toFloatArray());
        }
    }

    /** Bundles saved before this block replaced DJL's dropout must load, and the other way round: the same bytes. */
    @Test
    void itIsSavedByteForByteAsDjlsDropout() throws Exception {
        try (NDManager m = Engines.pytorch().newBaseManager()) {
            assertThat(saved(new MaskDropout(0.3f), m)).containsExactly(saved(Dropout.builder().optRate(0.3f).build(), m));
        }
        assertThatThrownBy(() -> new MaskDropout(1f)).hasMessageContaining("below 1");
    }

    private static byte[] saved(Block block, NDManager m) throws Exception {
        block.initialize(m, DataType.FLOAT32, new Shape(2, 3));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        block.saveParameters(out);
        out.flush();
        return bytes.toByteArray();
    }
}
