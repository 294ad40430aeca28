package org.captchasolver.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * An exponential moving average of a network's weights and batch-norm statistics, updated after
 * every optimiser step. Validating and keeping the average instead of the last step's weights
 * smooths out the step-to-step noise that, on a 200-image validation split, otherwise decides which
 * epoch is kept (docs/accuracy.md, "The default recipe"). The decay grows with the steps taken,
 * (1 + n) / (10 + n) up to 0.999, so the average spans about the last tenth of the run: early on it
 * follows the fast-changing weights closely instead of dragging in the random initialisation.
 * The average lives in Java arrays and is updated through the parameters' own memory: three
 * PyTorch calls per parameter and step cost more than the arithmetic (docs/performance.md, "Training").
 */
final class WeightAverage {
    static final float MAX_DECAY = 0.999f;

    private final Block block;
    private final List<float[]> average = new ArrayList<>();
    private final float[] scratch;
    private long steps;

    /** Starts the average at the block's current weights, as if {@code steps} updates had been made. */
    WeightAverage(Block block, long steps) {
        this.block = block;
        this.steps = steps;
        int largest = 0;
        for (NDArray live : liveArrays()) {
            float[] copy = new float[Math.toIntExact(live.size())];
            ParameterMemory.of(live).get(0, copy);
            average.add(copy);
            largest = Math.max(largest, copy.length);
        }
        this.scratch = new float[largest];
    }

    static float decay(long steps) {
        return Math.min(MAX_DECAY, (1f + steps) / (10f + steps));
    }

    /** Moves the average towards the current weights; call after each optimiser step. */
    void update() {
        steps++;
        float keep = decay(steps);
        float share = 1 - keep;
        List<NDArray> live = liveArrays();
        for (int i = 0; i < live.size(); i++) {
            float[] avg = average.get(i);
            int n = avg.length;
            ParameterMemory.of(live.get(i)).get(0, scratch, 0, n);
            for (int k = 0; k < n; k++) {
                avg[k] = keep * avg[k] + share * scratch[k];
            }
        }
    }

    /**
     * Exchanges the block's weights with the average. Calling it twice restores both, so validation
     * and saving run between a pair of calls on the averaged weights.
     */
    void swap() {
        List<NDArray> live = liveArrays();
        for (int i = 0; i < live.size(); i++) {
            float[] avg = average.get(i);
            int n = avg.length;
            FloatBuffer memory = ParameterMemory.of(live.get(i));
            memory.get(0, scratch, 0, n);
            memory.put(0, avg, 0, n);
            System.arraycopy(scratch, 0, avg, 0, n);
        }
    }

    /** Looked up each time, so that the average follows the block's current arrays. */
    private List<NDArray> liveArrays() {
        List<NDArray> arrays = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            arrays.add(p.getValue().getArray());
        }
        return arrays;
    }
}
