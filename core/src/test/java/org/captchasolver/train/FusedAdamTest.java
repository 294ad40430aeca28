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
import ai.djl.pytorch.jni.JniUtils;
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
import java.util.function.Function;
import org.captchasolver.dataset.Batch;
import org.captchasolver.image.InputShape;
import org.captchasolver.model.Architecture;
import org.captchasolver.model.Engines;
import org.captchasolver.model.Losses;
import org.captchasolver.model.ModelBundle;
import org.captchasolver.model.ModelSpec;
import org.captchasolver.model.NetworkInput;
import org.captchasolver.model.Networks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FusedAdamTest {
    private static final ModelSpec SPEC = new ModelSpec(Architecture.CRNN, new InputShape(3, 32, 64), "abcd", 4, 0.25f);
    private static final float LR = 3e-3f;
    private static final int STEPS = 4;

    @TempDir
    static Path dir;

    private static int threads;

    /**
     * The comparisons need both runs to compute the same gradients to the last bit: a near-zero
     * gradient that changes sign sends the two paths apart. So one PyTorch thread (with two, a
     * reduction's order varies from run to run), and a step taken first, because a process's first
     * convolutions do not round as the later ones do.
     */
    @BeforeAll
    static void deterministicGradients() throws IOException {
        Engines.pytorch();
        threads = JniUtils.getNumThreads();
        JniUtils.setNumThreads(1);
        train(dir.resolve("warm-up.params"), List.of(batch(new Random(9))), null,
                Optimizer.adam().optLearningRateTracker(Tracker.fixed(LR)).build());
    }

    @AfterAll
    static void restoreThreads() {
        JniUtils.setNumThreads(threads);
    }

    /**
     * Four steps on the same network from the same weights: ours and DJL's Adam (which runs the
     * update as PyTorch operators) end at the same weights. A gradient left unzeroed or a bias
     * correction off by 1% moves most weights apart. The clip, where the two differ, is checked below.
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
            float[] initial = w.toFloatArray();
            double[] expected = new double[gradient.length];
            for (int i = 0; i < expected.length; i++) {
                expected[i] = initial[i];
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

    /**
     * Two steps, Adam's state written with the weights, then two more steps from a new network and a
     * new optimizer that read both back: the same weights to the last bit as four uninterrupted steps.
     * With fresh moments (what --resume did before the state was saved) the third step moves each weight
     * by about the full learning rate, far from the uninterrupted run.
     */
    @Test
    void anOptimizerRestoredFromItsStateContinuesAsIfNeverStopped() throws IOException {
        Path start = dir.resolve("resume-start.params");
        List<Batch> batches = List.of(batch(new Random(5)), batch(new Random(6)), batch(new Random(7)), batch(new Random(8)));
        Function<Block, FusedAdam> adamW = block -> new FusedAdam(block, Tracker.fixed(LR), 5f, 0.1f);
        Map<String, float[]> uninterrupted = train(SPEC, start, batches, adamW, null, null, null, null);
        Path halfway = dir.resolve("resume-halfway.params");
        Path state = dir.resolve("adam.bin");
        train(SPEC, start, batches.subList(0, 2), adamW, null, null, halfway, state);
        Map<String, float[]> resumed = train(SPEC, halfway, batches.subList(2, 4), adamW, null, state, null, null);
        Map<String, float[]> restarted = train(SPEC, halfway, batches.subList(2, 4), adamW, null, null, null, null);
        for (String name : uninterrupted.keySet()) {
            assertThat(resumed.get(name)).as(name).containsExactly(uninterrupted.get(name));
        }
        double apart = 0;
        for (String name : uninterrupted.keySet()) {
            float[] a = uninterrupted.get(name);
            float[] b = restarted.get(name);
            for (int i = 0; i < a.length; i++) {
                apart = Math.max(apart, Math.abs(a[i] - b[i]));
            }
        }
        assertThat(apart).as("restarting Adam's moments changes the steps (else the check above proves nothing)")
                .isGreaterThan(LR * 0.5);
    }

    /** A state written for other parameters is refused with the file's name, before it touches anything. */
    @Test
    void aStateForAnotherNetworkIsRefused() throws IOException {
        Path state = dir.resolve("linear-adam.bin");
        try (NDManager manager = Engines.pytorch().newBaseManager()) {
            Block linear = Linear.builder().setUnits(3).build();
            linear.initialize(manager, DataType.FLOAT32, new Shape(1, 4));
            new FusedAdam(linear, Tracker.fixed(LR), 5f, 0f).writeState(state);
            Block wider = Linear.builder().setUnits(5).build();
            wider.initialize(manager, DataType.FLOAT32, new Shape(1, 4));
            FusedAdam other = new FusedAdam(wider, Tracker.fixed(LR), 5f, 0f);
            assertThatThrownBy(() -> other.readState(state))
                    .hasMessageContaining(state.toString()).hasMessageContaining("delete it");
            java.nio.file.Files.write(state, java.util.Arrays.copyOf(java.nio.file.Files.readAllBytes(state), 30));
            FusedAdam same = new FusedAdam(linear, Tracker.fixed(LR), 5f, 0f);
            assertThatThrownBy(() -> same.readState(state)).hasMessageContaining(state.toString()).hasMessageContaining("truncated");
        }
    }

    @Test
    void negativeWeightDecayIsRefused() {
        assertThatThrownBy(() -> TrainConfig.builder().weightDecay(-0.1f).build()).hasMessageContaining("--weight-decay");
    }

    private void assertSameWeights(float decay, Optimizer djl) throws IOException {
        Path start = dir.resolve("start-" + decay + ".params");
        List<Batch> batches = List.of(batch(new Random(1)), batch(new Random(2)), batch(new Random(3)), batch(new Random(4)));
        Map<String, float[]> ours = train(start, batches, block -> new FusedAdam(block, Tracker.fixed(LR), Float.MAX_VALUE, decay), null);
        Map<String, float[]> theirs = train(start, batches, null, djl);
        Map<String, float[]> initial = train(start, List.of(), null, djl);
        double moved = 0;
        double apart = 0;
        int elements = 0;
        int differing = 0;
        for (String name : ours.keySet()) {
            // A convolution's bias just before a batch norm has a gradient of rounding noise (the norm takes
            // the bias out again), which Adam scales up to full-size steps whose direction the last bits of
            // either implementation's arithmetic decide; the norm's running mean follows that bias. Neither
            // changes what the network computes.
            if (name.matches(".*Conv[12]d_bias") || name.endsWith("runningMean")) {
                continue;
            }
            float[] a = ours.get(name);
            float[] b = theirs.get(name);
            float[] s = initial.get(name);
            for (int i = 0; i < a.length; i++) {
                moved = Math.max(moved, Math.abs(a[i] - s[i]));
                double d = Math.abs(a[i] - b[i]);
                apart = Math.max(apart, d);
                differing += d > LR * 1e-3 ? 1 : 0;
                elements++;
            }
        }
        assertThat(moved).as("the steps moved the weights").isGreaterThan(STEPS * LR * 0.5);
        // The same rounding noise reaches the odd weight whose gradient is near zero; anything systematic
        // (a gradient left unzeroed, a bias correction off by 1%) moves most weights by more than this.
        assertThat(differing).as("weights the two optimisers put more than a thousandth of a step apart, of %d", elements)
                .isLessThan(elements / 200);
        assertThat(apart).as("largest difference between the two optimisers' weights").isLessThan(LR * 0.5);
    }

    private static Map<String, float[]> train(Path start, List<Batch> batches, Function<Block, FusedAdam> ours, Optimizer djl)
            throws IOException {
        return train(SPEC, start, batches, ours, djl, null, null, null);
    }

    /**
     * Trains from the weights in {@code start} (written on the first call) and returns every parameter
     * afterwards; our optimizer can start from a saved state and leave the weights and its state behind.
     */
    private static Map<String, float[]> train(ModelSpec spec, Path start, List<Batch> batches, Function<Block, FusedAdam> ours,
            Optimizer djl, Path stateIn, Path paramsOut, Path stateOut) throws IOException {
        Loss loss = Losses.forTraining(spec, 0f);
        try (Model model = Model.newInstance("adam", "PyTorch")) {
            Block block = Networks.build(spec);
            model.setBlock(block);
            DefaultTrainingConfig config = new DefaultTrainingConfig(loss);
            if (djl != null) {
                config.optOptimizer(djl);
            }
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(ModelBundle.inputShape(spec, 8));
                if (!start.toFile().exists()) {
                    ModelBundle.writeParams(block, start);
                }
                ModelBundle.readParamsInPlace(block, spec, start);
                FusedAdam adam = ours == null ? null : ours.apply(block);
                if (stateIn != null) {
                    adam.readState(stateIn);
                }
                for (Batch b : batches) {
                    // A batch draws the same dropout mask in every run, wherever in the run it comes.
                    Engine.getInstance().setRandomSeed(java.util.Arrays.hashCode(b.classes()));
                    if (adam != null) {
                        TrainStep.run(trainer, loss, adam, spec, b);
                    } else {
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDArray x = NetworkInput.of(trainer.getManager(), spec, b.pixels(), b.size());
                            NDList labels = Losses.labels(trainer.getManager(), b.classes(), b.lengths(), spec.maxLength());
                            gc.backward(loss.evaluate(labels, trainer.forward(new NDList(x))));
                        }
                        trainer.step();
                    }
                }
                if (paramsOut != null) {
                    ModelBundle.writeParams(block, paramsOut);
                    adam.writeState(stateOut);
                }
                Map<String, float[]> all = new LinkedHashMap<>();
                for (Pair<String, Parameter> p : block.getParameters()) {
                    all.put(p.getKey(), p.getValue().getArray().toFloatArray());
                }
                return all;
            }
        }
    }

    /**
     * Labels of 2 to 4 characters. Not {@code TrainStepBench.randomBatch}: its labels of 4 and more fill
     * this small network's 16 frames, leave some weights with near-zero gradients, and the last-bit
     * differences between the two optimisers' arithmetic then flip their signs after a step (measured:
     * 9,763 of 21,493 weights apart under AdamW).
     */
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
