package org.captchasolver.train;

import java.util.List;

/** One line of {@code all_metrics.json}. */
public record EpochMetrics(
        int epoch,
        double loss,
        double valLoss,
        double valSeqAcc,
        double valCharAcc,
        double valCer,
        List<Double> valPositionAcc,
        double learningRate,
        double seconds,
        double imagesPerSecond,
        double dataWaitFraction,
        long skippedImages,
        long rssMb) {}
