package org.captchasolver.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Inverted dropout, as DJL's {@code Dropout}, with the mask drawn as uniform noise compared with the
 * rate. PyTorch's own dropout draws its mask with {@code bernoulli_}, whose CPU kernel takes ~10 ns a
 * value: 2.5 ms of a batch-32 crnn step for its two masks, where uniform noise does not show among
 * the step's costliest operators (docs/performance.md, "Network"). The masks have the same distribution.
 *
 * <p>Saved exactly as DJL's {@code Dropout} (no parameters, format version 2), so bundles written
 * with either load into networks built with the other.
 */
public final class MaskDropout extends AbstractBlock {
    private static final byte VERSION = 2;

    private final float rate;

    public MaskDropout(float rate) {
        super(VERSION);
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("dropout rate must be at least 0 and below 1, got " + rate);
        }
        this.rate = rate;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        if (!training || rate == 0) {
            return inputs;
        }
        NDArray x = inputs.singletonOrThrow();
        NDArray kept = x.getManager().randomUniform(0f, 1f, x.getShape()).gte(rate).toType(DataType.FLOAT32, false);
        return new NDList(x.mul(kept.muli(1f / (1 - rate))));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }
}
