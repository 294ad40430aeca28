package org.captchasolver.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.captchasolver.dataset.Batch;
import org.captchasolver.image.InputShape;
import org.captchasolver.model.Architecture;
import org.captchasolver.model.Engines;
import org.captchasolver.model.Losses;
import org.captchasolver.model.ModelBundle;
import org.captchasolver.model.ModelSpec;
import org.captchasolver.model.NetworkInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FusedAdamTest {
    private static final ModelSpec SPEC = new ModelSpec(Architecture.CRNN, new InputShape(3, 32, 64), "abcd", 4, 0.25f);
    private static final float LR = 3e-3f;
    private static final int STEPS = 4;

    @TempDir
    Path dir;

    /**
     * Four steps on the same network from the same weights: ours and DJL's Adam (which runs the
     * update as PyTorch operators) end at the same weights. A gradient left unzeroed, a missing bias
     * correction or a wrong clip would each move them apart.
     */
    @Test
    void takesTheSameStepsAsDjlsAdam() throws IOException {
        assertSameWeights(0f, Optimizer.adam().optLearningRateTracker(Tracker.fixed(LR)).build());
    }

    @Test
    void takesTheSameStepsAsDjlsAdamW() throws IOException {
        assertSameWeights(0.3f, Optimizer.adamW().optLearningRateTracker(Tracker.fixed(LR)).optWeightDecays(0.3f).build());
    }

    /**
     * Gradients of +100 and -100 clipped at 1 count as +1 and -1 (DJL's own Adam clamps only the
     * positive side). Checked against Adam written out in doubles over three steps, with decay.
     */
    @Test
    void clipsGradientsOnBothSidesAndDecaysLikeAdamW() {
        float[] gradient = {100f, -100f, 0.25f, -0.5f};
        float clip = 1f;
        float decay = 0.1f;
        try (NDManager manager = Engines.pytorch().newBaseManager()) {
            Block linear = Linear.builder().setUnits(1).optBias(false).build();
            linear.initialize(manager, DataType.FLOAT32, new Shape(1, gradient.length));
            NDArray w = linear.getParameters().valueAt(0).getArray();
            double[] expected = new double[gradient.length];
            for (int i = 0; i < expected.length; i++) {
                expected[i] = w.toFloatArray()[i];
            }
            double[] m = new double[gradient.length];
            double[] v = new double[gradient.length];
            FusedAdam adam = new FusedAdam(linear, Tracker.fixed(LR), clip, decay);
            float[] scales = {1f, 0.004f, 1f}; // Adam's step ignores a gradient's size only while it stays the same
            for (int t = 1; t <= 3; t++) {
                NDArray x = manager.create(gradient).mul(scales[t - 1]).reshape(1, gradient.length);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    // d(sum(w . x))/dw = x: the gradient is the input
                    gc.backward(linear.forward(new ParameterStore(manager, false), new NDList(x), true).singletonOrThrow().sum());
                }
                adam.step();
                double step = LR * Math.sqrt(1 - Math.pow(0.999, t)) / (1 - Math.pow(0.9, t));
                for (int i = 0; i < expected.length; i++) {
                    double g = Math.max(-clip, Math.min(clip, gradient[i] * scales[t - 1]));
                    m[i] = 0.9 * m[i] + 0.1 * g;
                    v[i] = 0.999 * v[i] + 0.001 * g * g;
                    expected[i] = expected[i] * (1 - LR * decay) - step * m[i] / (Math.sqrt(v[i]) + 1e-8);
                }
            }
            float[] actual = w.toFloatArray();
            for (int i = 0; i < actual.length; i++) {
                assertThat((double) actual[i]).as("weight %d", i).isCloseTo(expected[i], within(1e-6));
            }
            assertThat(w.getGradient().toFloatArray()).as("gradients are zeroed after the step").containsOnly(0f);
        }
    }

    @Test
    void negativeWeightDecayIsRefused() {
        assertThatThrownBy(() -> TrainConfig.builder().weightDecay(-0.1f).build()).hasMessageContaining("--weight-decay");
    }

    private void assertSameWeights(float decay, Optimizer djl) throws IOException {
        Engines.pytorch();
        Path start = dir.resolve("start.params");
        List<Batch> batches = List.of(batch(new Random(1)), batch(new Random(2)), batch(new Random(3)), batch(new Random(4)));
        Map<String, float[]> ours = train(start, batches, block -> new FusedAdam(block, Tracker.fixed(LR), Float.MAX_VALUE, decay), null);
        Map<String, float[]> theirs = train(start, batches, null, djl);
        Map<String, float[]> initial = train(start, List.of(), null, djl);
        double moved = 0;
        double apart = 0;
        int compared = 0;
        for (String name : ours.keySet()) {
            // A convolution's bias just before a batch norm has a zero gradient up to rounding noise, which
            // differs between runs (two threads sum in either order) and which Adam scales up to full steps;
            // the norm's running mean follows that bias. Neither changes what the network computes.
            if (name.matches(".*Conv[12]d_bias") || name.endsWith("runningMean")) {
                continue;
            }
            compared++;
            float[] a = ours.get(name);
            float[] b = theirs.get(name);
            float[] s = initial.get(name);
            for (int i = 0; i < a.length; i++) {
                moved = Math.max(moved, Math.abs(a[i] - s[i]));
                apart = Math.max(apart, Math.abs(a[i] - b[i]));
            }
        }
        assertThat(compared).isGreaterThan(20);
        assertThat(moved).as("the steps moved the weights").isGreaterThan(STEPS * LR * 0.5);
        assertThat(apart).as("largest difference between the two optimisers' weights").isLessThan(LR * 1e-3);
    }

    interface AdamFactory {
        FusedAdam create(Block block);
    }

    /** Trains from the weights in {@code start} (written on the first call) and returns every parameter afterwards. */
    private static Map<String, float[]> train(Path start, List<Batch> batches, AdamFactory ours, Optimizer djl) throws IOException {
        Loss loss = Losses.forTraining(SPEC, 0f);
        try (Model model = Model.newInstance("adam", "PyTorch")) {
            Block block = org.captchasolver.model.Networks.build(SPEC);
            model.setBlock(block);
            DefaultTrainingConfig config = new DefaultTrainingConfig(loss);
            if (djl != null) {
                config.optOptimizer(djl);
            }
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(ModelBundle.inputShape(SPEC, 8));
                if (!start.toFile().exists()) {
                    ModelBundle.writeParams(block, start);
                }
                ModelBundle.readParamsInPlace(block, SPEC, start);
                FusedAdam adam = ours == null ? null : ours.create(block);
                Engine.getInstance().setRandomSeed(7); // the same dropout masks in both runs
                for (Batch b : batches) {
                    if (adam != null) {
                        TrainStep.run(trainer, loss, adam, SPEC, b);
                    } else {
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDArray x = NetworkInput.of(trainer.getManager(), SPEC, b.pixels(), b.size());
                            NDList labels = Losses.labels(trainer.getManager(), b.classes(), b.lengths(), SPEC.maxLength());
                            gc.backward(loss.evaluate(labels, trainer.forward(new NDList(x))));
                        }
                        trainer.step();
                    }
                }
                Map<String, float[]> all = new LinkedHashMap<>();
                for (Pair<String, Parameter> p : block.getParameters()) {
                    all.put(p.getKey(), p.getValue().getArray().toFloatArray());
                }
                return all;
            }
        }
    }

    private static Batch batch(Random rnd) {
        int n = 8;
        float[] pixels = new float[n * SPEC.input().size()];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = rnd.nextFloat();
        }
        int[] classes = new int[n * SPEC.maxLength()];
        int[] lengths = new int[n];
        for (int i = 0; i < n; i++) {
            lengths[i] = 2 + rnd.nextInt(3);
            for (int k = 0; k < lengths[i]; k++) {
                classes[i * SPEC.maxLength() + k] = 1 + rnd.nextInt(4);
            }
        }
        return new Batch(pixels, n, classes, lengths, List.of(), 0);
    }
}
