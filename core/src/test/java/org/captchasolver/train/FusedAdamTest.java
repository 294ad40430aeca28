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
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.captchasolver.dataset.Batch;
import org.captchasolver.image.InputShape;
import org.captchasolver.model.Architecture;
import org.captchasolver.model.ModelSpec;
import org.captchasolver.network.Engines;
import org.captchasolver.network.Losses;
import org.captchasolver.network.NetworkInput;
import org.captchasolver.network.Networks;
import org.captchasolver.network.Weights;
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
     * The resume comparison needs both runs to compute the same gradients to the last bit: a near-zero
     * gradient that changes sign sends the two paths apart. So one PyTorch thread (with two, a
     * reduction's order varies from run to run), and a step taken first, because a process's first
     * convolutions do not round as the later ones do. Both runs are in this process, on this CPU's kernels.
     */
    @BeforeAll
    static void deterministicGradients() throws IOException {
        Engines.pytorch();
        threads = JniUtils.getNumThreads();
        JniUtils.setNumThreads(1);
        train(SPEC, dir.resolve("warm-up.params"), List.of(batch(new Random(9))),
                block -> new FusedAdam(block, Tracker.fixed(LR), 5f, 0f), null, null, null);
    }

    @AfterAll
    static void restoreThreads() {
        JniUtils.setNumThreads(threads);
    }

    /**
     * Four steps of the real network, each checked against Adam written out in doubles from the very
     * gradients the step was given. The gradients themselves differ from CPU to CPU (PyTorch picks its
     * kernels per CPU), so the check never compares two trainings: it compares each update with the
     * exact update of the same gradients. Java's float arithmetic is the same on every CPU, and its
     * rounding is bounded: the weight's own rounding (a few units in its last place) plus a relative
     * error of the step far below 1e-5. A bias correction off by 1% or a wrong decay misses by about
     * 1% of a step on most weights; a gradient left unzeroed is caught by the check that they are zero.
     */
    @Test
    void takesAdamsStepsOnTheRealNetwork() throws IOException {
        assertStepsMatchDoubleReference(5f, 0f);
    }

    @Test
    void takesAdamWsStepsOnTheRealNetwork() throws IOException {
        assertStepsMatchDoubleReference(5f, 0.3f);
    }

    /**
     * Three steps of a linear layer whose gradient is its input, so both optimisers see exactly the
     * same gradients on any CPU: ours and DJL's AdamW (PyTorch operators) then differ only by float
     * rounding, which does not feed back into the gradients.
     */
    @Test
    void takesTheSameStepsAsDjlsAdamW() {
        float decay = 0.3f;
        float[] input = {0.8f, -0.05f, 2.5f, -1.2f, 1e-4f, -3f};
        float[] scales = {1f, 0.3f, -2f};
        try (NDManager manager = Engines.pytorch().newBaseManager()) {
            Block ours = Linear.builder().setUnits(1).optBias(false).build();
            ours.initialize(manager, DataType.FLOAT32, new Shape(1, input.length));
            NDArray w = ours.getParameters().valueAt(0).getArray();
            NDArray theirs = w.duplicate();
            float[] initial = w.toFloatArray();
            FusedAdam adam = new FusedAdam(ours, Tracker.fixed(LR), Float.MAX_VALUE, decay);
            Optimizer djl = Optimizer.adamW().optLearningRateTracker(Tracker.fixed(LR)).optWeightDecays(decay).build();
            for (float scale : scales) {
                NDArray x = manager.create(input).mul(scale).reshape(1, input.length);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    gc.backward(ours.forward(new ParameterStore(manager, false), new NDList(x), true).singletonOrThrow().sum());
                }
                djl.update("w", theirs, x.reshape(w.getShape()));
                adam.step();
            }
            float[] a = w.toFloatArray();
            float[] b = theirs.toFloatArray();
            for (int i = 0; i < a.length; i++) {
                assertThat(Math.abs(a[i] - initial[i])).as("weight %d moved", i).isGreaterThan(LR);
                assertThat((double) a[i]).as("weight %d", i).isCloseTo(b[i], within(roundingBound(initial[i])));
            }
        }
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
        Map<String, float[]> uninterrupted = train(SPEC, start, batches, adamW, null, null, null);
        Path halfway = dir.resolve("resume-halfway.params");
        Path state = dir.resolve("adam.bin");
        train(SPEC, start, batches.subList(0, 2), adamW, null, halfway, state);
        Map<String, float[]> resumed = train(SPEC, halfway, batches.subList(2, 4), adamW, state, null, null);
        Map<String, float[]> restarted = train(SPEC, halfway, batches.subList(2, 4), adamW, null, null, null);
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

    /**
     * What float32 arithmetic of one update can explain: a few units in the last place of the weight,
     * and a relative error of the step (at most about LR) that stays far below 1e-5.
     */
    private static double roundingBound(double weight) {
        return 4 * Math.ulp((float) weight) + 1e-5 * LR;
    }

    private void assertStepsMatchDoubleReference(float clip, float decay) {
        Loss loss = Losses.forTraining(SPEC, 0f);
        try (Model model = Model.newInstance("adam", "PyTorch")) {
            Block block = Networks.build(SPEC);
            model.setBlock(block);
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(loss))) {
                trainer.initialize(Weights.inputShape(SPEC, 8));
                FusedAdam adam = new FusedAdam(block, Tracker.fixed(LR), clip, decay);
                List<Parameter> trained = new ArrayList<>();
                for (Pair<String, Parameter> p : block.getParameters()) {
                    if (p.getValue().requiresGradient()) {
                        trained.add(p.getValue());
                    }
                }
                float[][] initial = values(trained);
                ReferenceAdam reference = new ReferenceAdam(initial, clip, decay);
                for (int t = 1; t <= STEPS; t++) {
                    backward(trainer, loss, batch(new Random(t)));
                    float[][] before = values(trained);
                    float[][] gradients = gradients(trained);
                    adam.step();
                    float[][] after = values(trained);
                    for (int i = 0; i < trained.size(); i++) {
                        for (int k = 0; k < after[i].length; k++) {
                            double expected = reference.update(i, k, before[i][k], gradients[i][k], t);
                            assertThat((double) after[i][k]).as("step %d, %s[%d]", t, trained.get(i).getName(), k)
                                    .isCloseTo(expected, within(roundingBound(before[i][k])));
                        }
                    }
                    float[][] left = gradients(trained);
                    for (int i = 0; i < trained.size(); i++) {
                        assertThat(left[i]).as("%s's gradient is zeroed after step %d", trained.get(i).getName(), t)
                                .containsOnly(0f);
                    }
                }
                float[][] last = values(trained);
                double moved = 0;
                for (int i = 0; i < last.length; i++) {
                    for (int k = 0; k < last[i].length; k++) {
                        moved = Math.max(moved, Math.abs(last[i][k] - initial[i][k]));
                    }
                }
                assertThat(moved).as("the steps moved the weights").isGreaterThan(STEPS * LR * 0.5);
            }
        }
    }

    /** Adam (AdamW with a decay) in doubles, one pair of moments per weight, fed the gradients the real step saw. */
    private static final class ReferenceAdam {
        private final double[][] m;
        private final double[][] v;
        private final float clip;
        private final float decay;

        ReferenceAdam(float[][] shapes, float clip, float decay) {
            this.m = new double[shapes.length][];
            this.v = new double[shapes.length][];
            for (int i = 0; i < shapes.length; i++) {
                m[i] = new double[shapes[i].length];
                v[i] = new double[shapes[i].length];
            }
            this.clip = clip;
            this.decay = decay;
        }

        /** The weight after step {@code t}, from its value and gradient before it. */
        double update(int i, int k, float weight, float gradient, int t) {
            double g = Math.max(-clip, Math.min(clip, gradient));
            m[i][k] = 0.9 * m[i][k] + 0.1 * g;
            v[i][k] = 0.999 * v[i][k] + 0.001 * g * g;
            double step = LR * Math.sqrt(1 - Math.pow(0.999, t)) / (1 - Math.pow(0.9, t));
            return weight * (1 - (double) LR * decay) - step * m[i][k] / (Math.sqrt(v[i][k]) + 1e-8);
        }
    }

    private static float[][] values(List<Parameter> parameters) {
        float[][] out = new float[parameters.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = parameters.get(i).getArray().toFloatArray();
        }
        return out;
    }

    private static float[][] gradients(List<Parameter> parameters) {
        float[][] out = new float[parameters.size()][];
        for (int i = 0; i < out.length; i++) {
            try (NDArray g = parameters.get(i).getArray().getGradient()) {
                out[i] = g.toFloatArray();
            }
        }
        return out;
    }

    private static void backward(Trainer trainer, Loss loss, Batch b) {
        try (NDManager scope = trainer.getManager().newSubManager();
             GradientCollector gc = trainer.newGradientCollector()) {
            NDArray x = NetworkInput.of(scope, SPEC, b.pixels(), b.size());
            NDList labels = Losses.labels(scope, b.classes(), b.lengths(), SPEC.maxLength());
            gc.backward(loss.evaluate(labels, trainer.forward(new NDList(x))));
        }
    }

    /**
     * Trains from the weights in {@code start} (written on the first call) and returns every parameter
     * afterwards; our optimizer can start from a saved state and leave the weights and its state behind.
     */
    private static Map<String, float[]> train(ModelSpec spec, Path start, List<Batch> batches, Function<Block, FusedAdam> ours,
            Path stateIn, Path paramsOut, Path stateOut) throws IOException {
        Loss loss = Losses.forTraining(spec, 0f);
        try (Model model = Model.newInstance("adam", "PyTorch")) {
            Block block = Networks.build(spec);
            model.setBlock(block);
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(loss))) {
                trainer.initialize(Weights.inputShape(spec, 8));
                if (!start.toFile().exists()) {
                    Weights.writeParams(block, start);
                }
                Weights.readParamsInPlace(block, spec, start);
                FusedAdam adam = ours.apply(block);
                if (stateIn != null) {
                    adam.readState(stateIn);
                }
                for (Batch b : batches) {
                    // A batch draws the same dropout mask in every run, wherever in the run it comes.
                    Engine.getInstance().setRandomSeed(java.util.Arrays.hashCode(b.classes()));
                    TrainStep.run(trainer, loss, adam, spec, b);
                }
                if (paramsOut != null) {
                    Weights.writeParams(block, paramsOut);
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

    /** Eight random images with labels of 2 to 4 characters, short enough for this network's 16 frames. */
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
