package org.captchasolver.train;

import java.util.List;

/**
 * Everything needed to continue an interrupted run, saved after every epoch beside the last weights.
 * (Adam's moment estimates are not included: DJL does not expose them, so they restart on resume.)
 * {@code plannedSteps} is 0 when no annealing plan was made yet.
 */
public record TrainingState(
        int epochsDone,
        int step,
        float learningRate,
        double bestMonitored,
        int bestEpoch,
        int earlyStopBadEpochs,
        int lrBadEpochs,
        double lrBest,
        double secondsSoFar,
        boolean finished,
        List<EpochMetrics> history,
        int plannedSteps) {}
