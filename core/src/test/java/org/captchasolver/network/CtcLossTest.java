package org.captchasolver.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.captchasolver.model.Architecture;
import org.captchasolver.model.Decoder;
import org.captchasolver.model.ModelSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CtcLossTest {

    @BeforeAll
    static void engine() {
        Engines.pytorch();
    }

    /** -log of the sum, over every frame path that collapses to the label, of the path's probability. */
    static double bruteForce(float[][] logits, int[] label) {
        int steps = logits.length;
        int classes = logits[0].length;
        double[][] p = new double[steps][classes];
        for (int t = 0; t < steps; t++) {
            double z = 0;
            for (int c = 0; c < classes; c++) {
                z += Math.exp(logits[t][c]);
            }
            for (int c = 0; c < classes; c++) {
                p[t][c] = Math.exp(logits[t][c]) / z;
            }
        }
        double total = 0;
        int[] path = new int[steps];
        long paths = (long) Math.pow(classes, steps);
        for (long code = 0; code < paths; code++) {
            long rest = code;
            for (int t = 0; t < steps; t++) {
                path[t] = (int) (rest % classes);
                rest /= classes;
            }
            if (java.util.Arrays.equals(collapse(path), label)) {
                double prob = 1;
                for (int t = 0; t < steps; t++) {
                    prob *= p[t][path[t]];
                }
                total += prob;
            }
        }
        return -Math.log(total);
    }

    static int[] collapse(int[] path) {
        List<Integer> out = new ArrayList<>();
        int prev = 0;
        for (int k : path) {
            if (k != 0 && k != prev) {
                out.add(k);
            }
            prev = k;
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    @Test
    void matchesBruteForceOverAllAlignmentsIncludingRepeatsAndPadding() {
        Random rnd = new Random(3);
        int steps = 6;
        int classes = 4;
        int[][] labels = {{1, 2}, {1, 1}, {3}, {2, 1, 2}, {1, 1, 1}};
        int maxLen = 3;
        float[][][] logits = new float[labels.length][steps][classes];
        float[] flat = new float[labels.length * steps * classes];
        int[] padded = new int[labels.length * maxLen];
        int[] lengths = new int[labels.length];
        for (int b = 0; b < labels.length; b++) {
            for (int t = 0; t < steps; t++) {
                for (int c = 0; c < classes; c++) {
                    logits[b][t][c] = (float) rnd.nextGaussian() * 2;
                    flat[(b * steps + t) * classes + c] = logits[b][t][c];
                }
            }
            System.arraycopy(labels[b], 0, padded, b * maxLen, labels[b].length);
            lengths[b] = labels[b].length;
        }
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(flat, new Shape(labels.length, steps, classes));
            float[] ours = CtcLoss.perSample(m.create(padded, new Shape(labels.length, maxLen)), m.create(lengths), x).toFloatArray();
            for (int b = 0; b < labels.length; b++) {
                assertThat((double) ours[b]).as("label %s", java.util.Arrays.toString(labels[b]))
                        .isCloseTo(bruteForce(logits[b], labels[b]), within(1e-3));
            }
        }
    }

    @Test
    void gradientMatchesFiniteDifferencesOfTheBruteForceLoss() {
        Random rnd = new Random(5);
        int steps = 5;
        int classes = 4;
        int[][] labels = {{1, 1}, {2, 3}, {}};
        int maxLen = 2;
        float[] flat = new float[labels.length * steps * classes];
        for (int i = 0; i < flat.length; i++) {
            flat[i] = (float) rnd.nextGaussian();
        }
        int[] padded = new int[labels.length * maxLen];
        int[] lengths = new int[labels.length];
        for (int b = 0; b < labels.length; b++) {
            System.arraycopy(labels[b], 0, padded, b * maxLen, labels[b].length);
            lengths[b] = labels[b].length;
        }
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(flat, new Shape(labels.length, steps, classes));
            x.setRequiresGradient(true);
            try (GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                gc.backward(new CtcLoss().evaluate(new NDList(m.create(padded, new Shape(labels.length, maxLen)), m.create(lengths)),
                        new NDList(x)));
            }
            float[] grad = x.getGradient().toFloatArray();
            double eps = 1e-2;
            for (int b = 0; b < labels.length; b++) {
                for (int t = 0; t < steps; t++) {
                    for (int c = 0; c < classes; c++) {
                        int i = (b * steps + t) * classes + c;
                        float[][] plus = sample(flat, b, steps, classes);
                        float[][] minus = sample(flat, b, steps, classes);
                        plus[t][c] += (float) eps;
                        minus[t][c] -= (float) eps;
                        // The loss is the batch mean, so each sample's gradient is divided by the batch size.
                        double numeric = (bruteForce(plus, labels[b]) - bruteForce(minus, labels[b])) / (2 * eps) / labels.length;
                        assertThat((double) grad[i]).as("b=%d t=%d c=%d", b, t, c).isCloseTo(numeric, within(2e-3));
                    }
                }
            }
        }
    }

    private static float[][] sample(float[] flat, int b, int steps, int classes) {
        float[][] out = new float[steps][classes];
        for (int t = 0; t < steps; t++) {
            System.arraycopy(flat, (b * steps + t) * classes, out[t], 0, classes);
        }
        return out;
    }

    @Test
    void impossibleLabelIsHugeNotNaNAndGradientsAreFinite() {
        // "aaa" needs at least 5 frames (a _ a _ a); with 3 frames no path exists.
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(1, 3, 3));
            x.setRequiresGradient(true);
            NDArray loss;
            try (GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                loss = new CtcLoss().evaluate(new NDList(m.create(new int[] {1, 1, 1}, new Shape(1, 3)), m.create(new int[] {3})),
                        new NDList(x));
                gc.backward(loss);
            }
            assertThat(loss.getFloat()).isGreaterThan(1e20f);
            for (float g : x.getGradient().toFloatArray()) {
                assertThat(Float.isFinite(g)).isTrue();
            }
        }
    }

    @Test
    void gradientDescentOnLogitsDrivesLossDown() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.zeros(new Shape(1, 8, 4));
            NDList labels = new NDList(m.create(new int[] {2, 2, 3}, new Shape(1, 3)), m.create(new int[] {3}));
            float first = 0;
            float last = 0;
            for (int i = 0; i < 60; i++) {
                x.setRequiresGradient(true);
                try (GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                    NDArray loss = new CtcLoss().evaluate(labels, new NDList(x));
                    gc.backward(loss);
                    if (i == 0) {
                        first = loss.getFloat();
                    }
                    last = loss.getFloat();
                }
                x = x.sub(x.getGradient().mul(2)).duplicate();
            }
            assertThat(last).isLessThan(first * 0.1f);
            float[] probs = x.softmax(2).toFloatArray();
            ModelSpec spec = new ModelSpec(Architecture.CRNN, new org.captchasolver.image.InputShape(1, 16, 32), "abc", 3, 1f);
            assertThat(Decoder.decode(spec, probs, 1, 8).get(0).text()).isEqualTo("bbc");
        }
    }
}
