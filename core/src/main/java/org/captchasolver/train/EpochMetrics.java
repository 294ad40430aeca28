package org.captchasolver.train;

import java.util.List;

/**
 * One line of {@code all_metrics.json}. The training accuracies are read off the training batches as
 * they were trained (augmented, with dropout, best-path decoding), as Keras reports them; null in runs
 * written before they were recorded.
 */
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
        long rssMb,
        Double trainSeqAcc,
        Double trainCharAcc) {

    /** An epoch without training accuracies. */
    public EpochMetrics(int epoch, double loss, double valLoss, double valSeqAcc, double valCharAcc, double valCer,
                        List<Double> valPositionAcc, double learningRate, double seconds, double imagesPerSecond,
                        double dataWaitFraction, long skippedImages, long rssMb) {
        this(epoch, loss, valLoss, valSeqAcc, valCharAcc, valCer, valPositionAcc, learningRate, seconds, imagesPerSecond,
                dataWaitFraction, skippedImages, rssMb, null, null);
    }
}
