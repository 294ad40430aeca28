package org.captchasolver.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.loss.Loss;

/**
 * Connectionist temporal classification loss with class 0 as the blank (DJL has none).
 *
 * <p>The forward algorithm runs in log space over the extended label (blank, c1, blank, c2, ...,
 * blank; length 2L+1), vectorised over the batch and the label, looping only over time; autograd
 * derives the backward pass. "Minus infinity" is a large finite negative so that gradients through
 * impossible paths are 0 rather than NaN.
 *
 * <p>Labels: an NDList of (B, L) int class ids padded with 0, and (B) int label lengths.
 * Predictions: logits (B, T, C). The loss is the mean over the batch of -log p(label | image).
 */
public final class CtcLoss extends Loss {
    static final float NEG = -1e30f;

    public CtcLoss() {
        super("CTCLoss");
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        return perSample(labels.get(0), labels.get(1), predictions.singletonOrThrow()).mean();
    }

    /** -log p(label | x) for each sample: shape (B). */
    public static NDArray perSample(NDArray labels, NDArray lengths, NDArray logits) {
        NDManager m = logits.getManager();
        long batch = logits.getShape().get(0);
        long steps = logits.getShape().get(1);
        long maxLen = labels.getShape().get(1);
        int s = (int) (2 * maxLen + 1);
        NDArray logProbs = logits.logSoftmax(2);

        // Extended labels (B, S): blanks at even positions, characters at odd ones.
        int[] lab = labels.toType(DataType.INT32, false).toIntArray();
        int[] len = lengths.toType(DataType.INT32, false).toIntArray();
        int[] ext = new int[(int) batch * s];
        float[] skip = new float[(int) batch * s];
        float[] end = new float[(int) batch * s];
        for (int b = 0; b < batch; b++) {
            for (int k = 0; k < maxLen; k++) {
                ext[b * s + 2 * k + 1] = lab[(int) (b * maxLen + k)];
            }
            int valid = 2 * len[b] + 1;
            for (int j = 2; j < valid; j++) {
                int c = ext[b * s + j];
                // A path may jump over a blank only between two different characters.
                skip[b * s + j] = (c != 0 && c != ext[b * s + j - 2]) ? 0f : NEG;
            }
            for (int j = 0; j < s; j++) {
                end[b * s + j] = (j == valid - 1 || (j == valid - 2 && len[b] > 0)) ? 0f : NEG;
            }
            skip[b * s] = NEG;
            if (s > 1) {
                skip[b * s + 1] = NEG;
            }
        }
        NDArray extIdx = m.create(ext, new ai.djl.ndarray.types.Shape(batch, 1, s)).toType(DataType.INT64, false)
                .broadcast(batch, steps, s);
        NDArray emit = logProbs.gather(extIdx, 2); // (B, T, S)
        NDArray skipMask = m.create(skip, new ai.djl.ndarray.types.Shape(batch, s));
        NDArray endMask = m.create(end, new ai.djl.ndarray.types.Shape(batch, s));
        NDArray negCol = m.full(new ai.djl.ndarray.types.Shape(batch, 1), NEG);
        NDArray negCol2 = m.full(new ai.djl.ndarray.types.Shape(batch, 2), NEG);

        // t = 0: only the first blank or the first character.
        float[] init = new float[(int) batch * s];
        java.util.Arrays.fill(init, NEG);
        for (int b = 0; b < batch; b++) {
            init[b * s] = 0f;
            if (s > 1 && len[b] > 0) {
                init[b * s + 1] = 0f;
            }
        }
        NDArray alpha = m.create(init, new ai.djl.ndarray.types.Shape(batch, s)).add(emit.get(new NDIndex(":, 0, :")));
        for (int t = 1; t < steps; t++) {
            NDArray stay = alpha;
            NDArray step = NDArrays.concat(new NDList(negCol, alpha.get(new NDIndex(":, :-1"))), 1);
            NDArray jump = s > 2
                    ? NDArrays.concat(new NDList(negCol2, alpha.get(new NDIndex(":, :-2"))), 1).add(skipMask)
                    : m.full(alpha.getShape(), NEG);
            alpha = logSumExp3(stay, step, jump).add(emit.get(new NDIndex(":, {}, :", t)));
        }
        NDArray last = alpha.add(endMask); // keep only the last blank and the last character
        return logSumExp(last, 1).neg();
    }

    /** log(exp a + exp b + exp c), stable. */
    private static NDArray logSumExp3(NDArray a, NDArray b, NDArray c) {
        NDArray max = NDArrays.maximum(NDArrays.maximum(a, b), c);
        NDArray sum = a.sub(max).exp().add(b.sub(max).exp()).add(c.sub(max).exp());
        return sum.log().add(max);
    }

    static NDArray logSumExp(NDArray x, int axis) {
        NDArray max = x.max(new int[] {axis}, true);
        return x.sub(max).exp().sum(new int[] {axis}).log().add(max.squeeze(axis));
    }
}
