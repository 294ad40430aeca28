package org.captchasolver.bench;

import java.util.Arrays;

/** Nearest-rank percentiles of a sample of timings. */
public final class Percentiles {
    private Percentiles() {}

    /** @param q in (0, 100] */
    public static double of(double[] values, double q) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(q / 100 * sorted.length);
        return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
    }
}
