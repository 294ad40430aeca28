package org.captchasolver.eval;

import java.util.List;
import java.util.Map;

/**
 * {@code metrics/metrics.json}: every number of an evaluation. Position lists cover the positions that
 * labels have; {@code insertions}, {@code deletions} and {@code substitutions} count characters from the
 * edit-distance alignment of each answer to its truth.
 */
public record EvaluationMetrics(
        String model,
        String data,
        String split,
        long images,
        long correct,
        double sequenceAccuracy,
        double charAccuracy,
        double characterErrorRate,
        List<Double> positionAccuracy,
        long insertions,
        long deletions,
        long substitutions,
        double avgWrongCharsPerIncorrect,
        Integer mostCommonErrorCount,
        Map<Integer, Long> errorCountHistogram,
        Double loss,
        Double valLoss,
        List<Double> positionPrecision,
        List<Double> positionRecall,
        double macroPrecision,
        double macroRecall,
        List<ConfusedPair> mostConfused,
        double rocAuc,
        double averagePrecision,
        double expectedCalibrationError,
        List<Calibration.Bin> calibration,
        long outsideCharset,
        long unreadable,
        double imagesPerSecond,
        double seconds) {

    /** Characters as text; "∅" is no character (a missing or extra one, or one the model does not know). */
    public record ConfusedPair(String truth, String predicted, long count) {}
}
