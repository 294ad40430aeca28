package org.captchasolver.train;

import ai.djl.ndarray.NDArray;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * A float array's memory as Java sees it, without a copy: PyTorch hands out a direct buffer over a
 * contiguous CPU tensor's storage. Writes go straight into the tensor, which is how the optimiser and
 * the weight average work on all parameters in plain loops instead of a few PyTorch calls each.
 */
final class ParameterMemory {
    private ParameterMemory() {}

    static FloatBuffer of(NDArray array) {
        return array.toByteBuffer(true).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }
}
