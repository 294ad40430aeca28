package org.captchasolver.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Adam, or AdamW with a weight decay, as one pass of Java loops over the parameters' and gradients'
 * own memory. DJL's Adam costs several PyTorch operators per parameter, each with its JNI call,
 * dispatch and temporaries: 4% of a crnn step for arithmetic worth a fraction of that
 * (docs/performance.md item 22). The same arithmetic as DJL's (bias-corrected step size, epsilon
 * added to the root of the second moment; AdamW shrinks each weight by {@code lr x decay},
 * independently of the gradient), except that gradients are clipped on both sides where DJL clamps
 * only their maximum. Gradients are zeroed after use: the next backward pass accumulates into them.
 */
public final class FusedAdam {
    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPSILON = 1e-8f;

    private final List<Parameter> parameters = new ArrayList<>();
    private final float[][] mean;
    private final float[][] variance;
    private final Tracker learningRate;
    private final float clip;
    private final float weightDecay;
    private final float[] weights;
    private final float[] grads;
    private final float[] zeros;
    private int steps;

    /**
     * @param clip        gradients are clamped to {@code [-clip, clip]} element-wise
     * @param weightDecay 0 for Adam; above 0, AdamW's decoupled decay
     */
    public FusedAdam(Block block, Tracker learningRate, float clip, float weightDecay) {
        int largest = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().requiresGradient()) {
                parameters.add(p.getValue());
                largest = Math.max(largest, Math.toIntExact(p.getValue().getArray().size()));
            }
        }
        this.mean = new float[parameters.size()][];
        this.variance = new float[parameters.size()][];
        for (int i = 0; i < parameters.size(); i++) {
            int n = Math.toIntExact(parameters.get(i).getArray().size());
            mean[i] = new float[n];
            variance[i] = new float[n];
        }
        this.learningRate = learningRate;
        this.clip = clip;
        this.weightDecay = weightDecay;
        this.weights = new float[largest];
        this.grads = new float[largest];
        this.zeros = new float[largest];
    }

    /** Updates every parameter from its gradient, then zeroes the gradients. */
    public void step() {
        steps++;
        float lr = learningRate.getNewValue(steps);
        float corrected = (float) (lr * Math.sqrt(1 - Math.pow(BETA2, steps)) / (1 - Math.pow(BETA1, steps)));
        float shrink = 1 - lr * weightDecay;
        for (int i = 0; i < parameters.size(); i++) {
            NDArray weight = parameters.get(i).getArray();
            if (!weight.hasGradient()) {
                throw new IllegalStateException("parameter " + parameters.get(i).getName()
                        + " records no gradient: its array was replaced (load weights with ModelBundle.readParamsInPlace)");
            }
            try (NDArray grad = weight.getGradient()) {
                FloatBuffer w = ParameterMemory.of(weight);
                FloatBuffer g = ParameterMemory.of(grad);
                int n = mean[i].length;
                w.get(0, weights, 0, n);
                g.get(0, grads, 0, n);
                update(weights, grads, mean[i], variance[i], n, corrected, shrink);
                w.put(0, weights, 0, n);
                g.put(0, zeros, 0, n);
            }
        }
    }

    private void update(float[] w, float[] g, float[] m, float[] v, int n, float corrected, float shrink) {
        float c = clip;
        for (int k = 0; k < n; k++) {
            float gk = Math.max(-c, Math.min(c, g[k]));
            float mk = BETA1 * m[k] + (1 - BETA1) * gk;
            float vk = BETA2 * v[k] + (1 - BETA2) * gk * gk;
            m[k] = mk;
            v[k] = vk;
            w[k] = w[k] * shrink - corrected * mk / ((float) Math.sqrt(vk) + EPSILON);
        }
    }
}
