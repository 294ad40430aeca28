package org.captchasolver.train;

import ai.djl.training.tracker.Tracker;

/**
 * The learning rate the optimizer reads: a linear warm-up over the first steps, then a base value
 * that the plateau rule lowers. Counts its own steps (DJL's Adam counts per parameter and restarts on
 * resume), so a resumed run continues the schedule exactly.
 */
public final class LearningRate implements Tracker {
    private volatile float base;
    private final int warmupSteps;
    private volatile int step;

    public LearningRate(float base, int warmupSteps, int step) {
        this.base = base;
        this.warmupSteps = warmupSteps;
        this.step = step;
    }

    @Override
    public float getNewValue(int numUpdate) {
        return current();
    }

    public float current() {
        if (step < warmupSteps) {
            return base * (step + 1) / warmupSteps;
        }
        return base;
    }

    public void advance() {
        step++;
    }

    public int step() {
        return step;
    }

    public float base() {
        return base;
    }

    public void setBase(float v) {
        base = v;
    }
}
