package org.captchasolver.train;

/**
 * Tracks a monitored value across epochs: the best so far and how many epochs since it improved.
 * Early stopping and LR reduction are both this, with different patience.
 */
public final class Plateau {
    private final boolean maximise;
    private final double minDelta;
    private double best;
    private int badEpochs;

    public Plateau(boolean maximise, double minDelta) {
        this.maximise = maximise;
        this.minDelta = minDelta;
        this.best = maximise ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }

    /** Restores a saved state. */
    public Plateau(boolean maximise, double minDelta, double best, int badEpochs) {
        this(maximise, minDelta);
        this.best = best;
        this.badEpochs = badEpochs;
    }

    /** @return true if {@code value} is a new best */
    public boolean update(double value) {
        boolean better = maximise ? value > best + minDelta : value < best - minDelta;
        if (better) {
            best = value;
            badEpochs = 0;
        } else {
            badEpochs++;
        }
        return better;
    }

    public void resetCount() {
        badEpochs = 0;
    }

    public double best() {
        return best;
    }

    public int badEpochs() {
        return badEpochs;
    }
}
