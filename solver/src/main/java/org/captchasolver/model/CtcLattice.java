package org.captchasolver.model;

/**
 * The states a CTC alignment walks through for one answer (a blank before, between and after its
 * characters) and the moves between them, with the two passes the decoder needs over them: an answer's
 * probability and its likeliest alignment. The loss walks the same states in log space, with its
 * gradient ({@link CtcLoss}).
 */
public final class CtcLattice {
    private CtcLattice() {}

    /** Blank, c1, blank, c2, ..., blank: {@code 2 * classes.length + 1} states, class 0 being the blank. */
    public static int[] states(int[] classes) {
        int[] ext = new int[2 * classes.length + 1];
        for (int k = 0; k < classes.length; k++) {
            ext[2 * k + 1] = classes[k];
        }
        return ext;
    }

    /**
     * Whether an alignment may reach state {@code j} from {@code j - 2}, jumping over the blank between
     * them: only between two different characters (a doubled letter needs its blank).
     */
    public static boolean canSkip(int[] ext, int j) {
        return j >= 2 && ext[j] != 0 && ext[j] != ext[j - 2];
    }

    /**
     * The probability of an answer, summed over all its alignments (the forward pass) in plain doubles:
     * a sum that underflows was far below anything the decoder compares it with.
     *
     * @param ext the answer's {@link #states}
     * @param p   probabilities of (steps, classes) from {@code base}
     */
    public static double probability(int[] ext, float[] p, int base, int steps, int classes) {
        double[] alpha = new double[ext.length];
        double[] next = new double[ext.length];
        alpha[0] = p[base];
        if (ext.length > 1) {
            alpha[1] = p[base + ext[1]];
        }
        for (int t = 1; t < steps; t++) {
            int row = base + t * classes;
            for (int s = 0; s < ext.length; s++) {
                double sum = alpha[s];
                if (s > 0) {
                    sum += alpha[s - 1];
                }
                if (canSkip(ext, s)) {
                    sum += alpha[s - 2];
                }
                next[s] = sum * p[row + ext[s]];
            }
            double[] swap = alpha;
            alpha = next;
            next = swap;
        }
        return alpha[ext.length - 1] + (ext.length > 1 ? alpha[ext.length - 2] : 0);
    }

    /**
     * For each character of the answer, the frame where it peaks on the answer's likeliest single
     * alignment (Viterbi). Probabilities, not logs, rescaled at each step so that many factors cannot
     * underflow.
     */
    public static int[] peaks(int[] ext, float[] p, int base, int steps, int classes) {
        double[][] score = new double[steps][ext.length];
        int[][] from = new int[steps][ext.length];
        score[0][0] = p[base];
        if (ext.length > 1) {
            score[0][1] = p[base + ext[1]];
        }
        for (int t = 1; t < steps; t++) {
            int row = base + t * classes;
            double max = 0;
            for (int s = 0; s < ext.length; s++) {
                int arg = s;
                if (s > 0 && score[t - 1][s - 1] > score[t - 1][arg]) {
                    arg = s - 1;
                }
                if (canSkip(ext, s) && score[t - 1][s - 2] > score[t - 1][arg]) {
                    arg = s - 2;
                }
                score[t][s] = score[t - 1][arg] * p[row + ext[s]];
                from[t][s] = arg;
                max = Math.max(max, score[t][s]);
            }
            if (max > 0) {
                for (int s = 0; s < ext.length; s++) {
                    score[t][s] /= max;
                }
            }
        }
        int last = ext.length - 1;
        int s = last > 0 && score[steps - 1][last - 1] > score[steps - 1][last] ? last - 1 : last;
        int[] peaks = new int[ext.length / 2];
        float[] best = new float[peaks.length];
        for (int t = steps - 1; t >= 0; t--) {
            if (s % 2 == 1) {
                float v = p[base + t * classes + ext[s]];
                if (v >= best[s / 2]) {
                    best[s / 2] = v;
                    peaks[s / 2] = t;
                }
            }
            s = from[t][s];
        }
        return peaks;
    }
}
