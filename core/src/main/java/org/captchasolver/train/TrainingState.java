package org.captchasolver.train;

import java.util.List;

/**
 * Everything needed to continue an interrupted run, saved after every epoch once that epoch's
 * checkpoint folder (weights, their average, Adam's state) is complete: {@code epochsDone} names it.
 * {@code plannedSteps} is 0 when no annealing plan was made yet; the anneal runs from
 * {@code annealFromStep} to it, and states written before that field existed read 0 there, which
 * means the plan's second half. {@code finalAnneal}: patience ran out and started the anneal, so the
 * run ends when it does. {@code stopReason}: why a finished run ended (null while it runs, and in
 * states written before it was saved).
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
        int plannedSteps,
        int annealFromStep,
        boolean finalAnneal,
        String stopReason) {

    /** The step the anneal starts at, for states of every age. */
    public int annealStart() {
        return annealFromStep > 0 ? annealFromStep : LearningRate.secondHalf(plannedSteps);
    }
}
