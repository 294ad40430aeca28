package org.captchasolver.eval;

import java.util.List;

/** The result of an evaluation: its numbers and what the figures are drawn from. */
public record Evaluation(EvaluationMetrics metrics, String alphabet, Confusion confusion, ScoreCurves curves,
                         Calibration calibration, List<SampleResult> wrong, List<SampleResult> right) {

    /** Tick label of a class: the character, or ∅ for class 0. */
    public String label(int cls) {
        return label(alphabet, cls);
    }

    public static String label(String alphabet, int cls) {
        return cls == 0 ? "∅" : String.valueOf(alphabet.charAt(cls - 1));
    }
}
