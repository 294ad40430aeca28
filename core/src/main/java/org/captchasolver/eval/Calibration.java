package org.captchasolver.eval;

import java.util.ArrayList;
import java.util.List;

/** Predicted confidence against observed accuracy, in ten equal-width bins (a reliability diagram). */
public final class Calibration {
    private static final int BINS = 10;
    private final long[] count = new long[BINS];
    private final long[] correct = new long[BINS];
    private final double[] confidenceSum = new double[BINS];

    public void add(double confidence, boolean right) {
        int b = Math.min(BINS - 1, (int) (confidence * BINS));
        count[b]++;
        confidenceSum[b] += confidence;
        if (right) {
            correct[b]++;
        }
    }

    public record Bin(double from, double to, long images, double meanConfidence, double accuracy) {}

    public List<Bin> bins() {
        List<Bin> out = new ArrayList<>();
        for (int b = 0; b < BINS; b++) {
            out.add(new Bin(b / (double) BINS, (b + 1) / (double) BINS, count[b],
                    count[b] == 0 ? 0 : confidenceSum[b] / count[b], count[b] == 0 ? 0 : correct[b] / (double) count[b]));
        }
        return out;
    }

    /** Expected calibration error: the image-weighted gap between confidence and accuracy. */
    public double expectedCalibrationError() {
        long n = 0;
        double gap = 0;
        for (Bin b : bins()) {
            n += b.images();
            gap += b.images() * Math.abs(b.meanConfidence() - b.accuracy());
        }
        return n == 0 ? 0 : gap / n;
    }
}
