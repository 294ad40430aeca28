package org.captchasolver.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;

/**
 * Cross-entropy summed over character positions for the per-position heads. Positions past the end
 * of a label have the target "no character" (class 0), which is how variable-length labels are learnt;
 * the seed notebook mapped them onto a real character instead.
 *
 * <p>Labels: (B, P) int classes (0 = no character); predictions: logits (B, P, C).
 */
public final class PositionLoss extends Loss {
    private final float labelSmoothing;

    public PositionLoss(float labelSmoothing) {
        super("PositionLoss");
        this.labelSmoothing = labelSmoothing;
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        return perSample(labels.get(0), predictions.singletonOrThrow(), labelSmoothing).mean();
    }

    /** Per-image loss, summed over positions: shape (B). */
    public static NDArray perSample(NDArray labels, NDArray logits, float labelSmoothing) {
        long b = logits.getShape().get(0);
        long p = logits.getShape().get(1);
        long c = logits.getShape().get(2);
        NDArray logp = logits.reshape(b * p, c).logSoftmax(1);
        NDArray target = labels.reshape(b * p).toType(ai.djl.ndarray.types.DataType.INT64, false);
        NDArray picked = logp.gather(target.reshape(b * p, 1), 1).reshape(b * p);
        NDArray nll = picked.neg();
        if (labelSmoothing > 0) {
            NDArray uniform = logp.mean(new int[] {1}).neg();
            nll = nll.mul(1 - labelSmoothing).add(uniform.mul(labelSmoothing));
        }
        // Summed over positions, as Keras sums the heads' losses.
        return nll.reshape(b, p).sum(new int[] {1});
    }
}
