package org.captchasolver.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import java.util.stream.IntStream;
import org.captchasolver.model.CtcLattice;

/**
 * Connectionist temporal classification loss with class 0 as the blank (DJL has none).
 *
 * <p>The forward-backward algorithm runs in plain Java, in log space and double precision, and
 * yields both -log p(label | x) and its gradient with respect to the logits, as warp-ctc does. The
 * network sees it through a surrogate, {@code nll + sum(logits * g) - stopGradient(sum(logits * g))}:
 * its value is the loss and its gradient is {@code g}. Written as tensor operations, the same recursion
 * took some 1,500 small native calls per step, 15-18% of a training step; here it is about a millisecond.
 *
 * <p>A label that no alignment can produce (too long for the frames) gets a loss of 1e30 and a zero
 * gradient, so one bad sample cannot turn the weights into NaN.
 *
 * <p>Labels: an NDList of (B, L) int class ids padded with 0, and (B) int label lengths.
 * Predictions: logits (B, T, C). The loss is the mean over the batch of -log p(label | image).
 */
public final class CtcLoss extends Loss {
    static final float IMPOSSIBLE = 1e30f;

    public CtcLoss() {
        super("CTCLoss");
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        return perSample(labels.get(0), labels.get(1), predictions.singletonOrThrow()).mean();
    }

    /** -log p(label | x) for each sample: shape (B), differentiable with respect to the logits. */
    public static NDArray perSample(NDArray labels, NDArray lengths, NDArray logits) {
        NDManager m = logits.getManager();
        Shape shape = logits.getShape();
        int batch = (int) shape.get(0);
        int steps = (int) shape.get(1);
        int classes = (int) shape.get(2);
        int maxLen = (int) labels.getShape().get(1);
        float[] z = logits.toType(DataType.FLOAT32, false).toFloatArray();
        int[] lab = labels.toType(DataType.INT32, false).toIntArray();
        int[] len = lengths.toType(DataType.INT32, false).toIntArray();
        float[] grad = new float[z.length];
        float[] nll = new float[batch];
        IntStream.range(0, batch).parallel().forEach(b -> {
            int[] label = java.util.Arrays.copyOfRange(lab, b * maxLen, b * maxLen + len[b]);
            nll[b] = (float) sample(z, b * steps * classes, steps, classes, label, grad);
        });
        NDArray g = m.create(grad, shape);
        NDArray linear = logits.mul(g).sum(new int[] {1, 2});
        return linear.sub(linear.stopGradient()).add(m.create(nll));
    }

    /**
     * One sample: returns -log p(label | z) and writes its gradient into {@code grad} at {@code offset}.
     * {@code z} holds the (steps, classes) logits of the sample from {@code offset}.
     */
    static double sample(float[] z, int offset, int steps, int classes, int[] label, float[] grad) {
        double[] lp = logSoftmax(z, offset, steps, classes);
        int[] ext = CtcLattice.states(label);
        int s = ext.length;
        double[] alpha = new double[steps * s];
        double[] beta = new double[steps * s];
        java.util.Arrays.fill(alpha, Double.NEGATIVE_INFINITY);
        java.util.Arrays.fill(beta, Double.NEGATIVE_INFINITY);
        alpha[0] = lp[ext[0]];
        if (s > 1) {
            alpha[1] = lp[ext[1]];
        }
        for (int t = 1; t < steps; t++) {
            for (int j = 0; j < s; j++) {
                double a = alpha[(t - 1) * s + j];
                if (j >= 1) {
                    a = logAdd(a, alpha[(t - 1) * s + j - 1]);
                }
                if (CtcLattice.canSkip(ext, j)) {
                    a = logAdd(a, alpha[(t - 1) * s + j - 2]);
                }
                alpha[t * s + j] = a + lp[t * classes + ext[j]];
            }
        }
        int last = (steps - 1) * s;
        beta[last + s - 1] = lp[(steps - 1) * classes + ext[s - 1]];
        if (s > 1) {
            beta[last + s - 2] = lp[(steps - 1) * classes + ext[s - 2]];
        }
        for (int t = steps - 2; t >= 0; t--) {
            for (int j = 0; j < s; j++) {
                double b = beta[(t + 1) * s + j];
                if (j + 1 < s) {
                    b = logAdd(b, beta[(t + 1) * s + j + 1]);
                }
                if (j + 2 < s && CtcLattice.canSkip(ext, j + 2)) {
                    b = logAdd(b, beta[(t + 1) * s + j + 2]);
                }
                beta[t * s + j] = b + lp[t * classes + ext[j]];
            }
        }
        double logP = s > 1 ? logAdd(alpha[last + s - 1], alpha[last + s - 2]) : alpha[last];
        if (logP == Double.NEGATIVE_INFINITY) {
            return IMPOSSIBLE; // its gradient stays 0
        }
        // d(-log p)/dz[t][k] = softmax[t][k] - sum over extended positions j labelled k of the posterior of (t, j).
        for (int t = 0; t < steps; t++) {
            int row = offset + t * classes;
            for (int k = 0; k < classes; k++) {
                grad[row + k] = (float) Math.exp(lp[t * classes + k]);
            }
            for (int j = 0; j < s; j++) {
                double post = alpha[t * s + j] + beta[t * s + j] - lp[t * classes + ext[j]] - logP;
                if (post > Double.NEGATIVE_INFINITY) {
                    grad[row + ext[j]] -= (float) Math.exp(post);
                }
            }
        }
        return -logP;
    }

    private static double[] logSoftmax(float[] z, int offset, int steps, int classes) {
        double[] out = new double[steps * classes];
        for (int t = 0; t < steps; t++) {
            int row = offset + t * classes;
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < classes; k++) {
                max = Math.max(max, z[row + k]);
            }
            double sum = 0;
            for (int k = 0; k < classes; k++) {
                sum += Math.exp(z[row + k] - max);
            }
            double log = max + Math.log(sum);
            for (int k = 0; k < classes; k++) {
                out[t * classes + k] = z[row + k] - log;
            }
        }
        return out;
    }

    private static double logAdd(double a, double b) {
        if (a == Double.NEGATIVE_INFINITY) {
            return b;
        }
        if (b == Double.NEGATIVE_INFINITY) {
            return a;
        }
        return Math.max(a, b) + Math.log1p(Math.exp(-Math.abs(a - b)));
    }
}
