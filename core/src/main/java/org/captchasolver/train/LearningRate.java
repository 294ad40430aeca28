package org.captchasolver.train;

import ai.djl.training.tracker.Tracker;

/**
 * The learning rate the optimizer reads: a linear warm-up over the first steps, then a base value
 * that the plateau rule lowers, annealed along a half cosine (when a plan is set) down to
 * {@value #FLOOR} of the base: by default over the second half of the planned steps, or over any
 * stretch the run asks for. Counts its own steps, checkpointed with the run's schedule, so a resumed
 * run continues the schedule exactly.
 */
public final class LearningRate implements Tracker {
    private volatile float base;
    private final int warmupSteps;
    private volatile int step;
    private volatile int annealFrom;
    private volatile int plannedSteps;
    static final float FLOOR = 0.02f;

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
        return base * anneal();
    }

    private float anneal() {
        if (!annealing()) {
            return 1f;
        }
        double f = Math.min(1.0, (step - annealFrom) / (double) Math.max(1, plannedSteps - annealFrom));
        return (float) (FLOOR + (1 - FLOOR) * 0.5 * (1 + Math.cos(Math.PI * f)));
    }

    /** @param steps the steps the run is expected to take, annealing over the second half; 0 for no annealing */
    public void plan(int steps) {
        plan(secondHalf(steps), steps);
    }

    /** Where a plan of {@code steps} starts annealing when the run did not choose otherwise. */
    static int secondHalf(int steps) {
        return steps / 2;
    }

    /** Anneal from step {@code from} to step {@code to}, where the run is expected to end. */
    public void plan(int from, int to) {
        annealFrom = from;
        plannedSteps = to;
    }

    /** Whether the cosine has begun (it has ended once {@link #step} reaches {@link #plannedSteps}). */
    public boolean annealing() {
        return plannedSteps > 0 && step >= annealFrom;
    }

    /**
     * Whether the cosine starts within the next {@code steps} steps or at this one: a plan of an even
     * number of epochs starts it exactly on an epoch's boundary, where {@link #annealing} is already true.
     */
    public boolean annealStartsWithin(int steps) {
        return plannedSteps > 0 && step <= annealFrom && annealFrom < step + steps;
    }

    public int annealFrom() {
        return annealFrom;
    }

    public int plannedSteps() {
        return plannedSteps;
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
