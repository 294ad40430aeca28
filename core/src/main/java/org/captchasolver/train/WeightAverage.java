package org.captchasolver.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;

/**
 * An exponential moving average of a network's weights and batch-norm statistics, updated after
 * every optimiser step. Validating and keeping the average instead of the last step's weights
 * smooths out the step-to-step noise that, on a 200-image validation split, otherwise decides which
 * epoch is kept (docs/accuracy.md, rows 26 and 29). The decay grows with the steps taken,
 * (1 + n) / (10 + n) up to 0.999, so the average spans about the last tenth of the run: early on it
 * follows the fast-changing weights closely instead of dragging in the random initialisation.
 */
final class WeightAverage {
    static final float MAX_DECAY = 0.999f;

    private final Block block;
    private final List<NDArray> average = new ArrayList<>();
    private long steps;

    /**
     * Starts the average at the block's current weights, as if {@code steps} updates had been made.
     * Its arrays live in a child of {@code parent} and go with it.
     */
    WeightAverage(Block block, NDManager parent, long steps) {
        this.block = block;
        NDManager own = parent.newSubManager();
        this.steps = steps;
        for (NDArray live : liveArrays()) {
            NDArray copy = live.duplicate();
            copy.attach(own);
            average.add(copy);
        }
    }

    static float decay(long steps) {
        return Math.min(MAX_DECAY, (1f + steps) / (10f + steps));
    }

    /** Moves the average towards the current weights; call after each optimiser step. */
    void update() {
        steps++;
        float keep = decay(steps);
        List<NDArray> live = liveArrays();
        for (int i = 0; i < live.size(); i++) {
            try (NDArray share = live.get(i).mul(1 - keep)) {
                average.get(i).muli(keep).addi(share);
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
            try (NDArray saved = live.get(i).duplicate()) {
                average.get(i).copyTo(live.get(i));
                saved.copyTo(average.get(i));
            }
        }
    }

    /** Looked up each time: loading parameters may replace a parameter's array. */
    private List<NDArray> liveArrays() {
        List<NDArray> arrays = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            arrays.add(p.getValue().getArray());
        }
        return arrays;
    }
}
