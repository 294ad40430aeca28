package org.captchasolver.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.nio.FloatBuffer;
import org.captchasolver.image.InputShape;
import org.captchasolver.model.Architecture;
import org.captchasolver.model.ModelSpec;
import org.captchasolver.network.Engines;
import org.captchasolver.network.Weights;
import org.junit.jupiter.api.Test;

class ParameterMemoryTest {

    /**
     * The optimiser and the weight average write through these views: for every parameter of both
     * networks (convolutions, norms, LSTM, linear heads), a write through the view is what the tensor
     * then holds, so no parameter is handed out as a copy whose updates would be lost.
     */
    @Test
    void writesThroughTheViewLandInEveryParameter() {
        for (Architecture arch : Architecture.values()) {
            ModelSpec spec = new ModelSpec(arch, new InputShape(3, 32, 64), "abc", 3, 0.25f);
            try (NDManager manager = Engines.pytorch().newBaseManager()) {
                Block block = Weights.newBlock(spec, manager);
                for (Pair<String, Parameter> p : block.getParameters()) {
                    NDArray array = p.getValue().getArray();
                    FloatBuffer view = ParameterMemory.of(array);
                    assertThat(view.capacity()).as(p.getKey()).isEqualTo(array.size());
                    float[] written = new float[view.capacity()];
                    for (int i = 0; i < written.length; i++) {
                        written[i] = i * 0.5f - 3;
                    }
                    view.put(0, written);
                    assertThat(array.toFloatArray()).as(p.getKey()).containsExactly(written);
                }
            }
        }
    }
}
