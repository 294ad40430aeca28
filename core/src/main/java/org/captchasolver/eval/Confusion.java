package org.captchasolver.eval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Character confusion counts per position. Class 0 is "no character" (a missing or an extra
 * character), classes 1..N the alphabet, as in the models. Positions are those labels have; characters
 * a prediction adds past its label's end count in {@link #overall()} only.
 */
public final class Confusion {
    private final int classes;
    private final List<long[][]> perPosition = new ArrayList<>();
    private final long[][] beyondLabel;

    public Confusion(int classes) {
        this.classes = classes;
        this.beyondLabel = new long[classes][classes];
    }

    /** A character predicted past the end of its label (truth is class 0 there). */
    public void addBeyondLabel(int truth, int predicted) {
        beyondLabel[truth][predicted]++;
    }

    public void add(int position, int truth, int predicted) {
        while (perPosition.size() <= position) {
            perPosition.add(new long[classes][classes]);
        }
        perPosition.get(position)[truth][predicted]++;
    }

    public int positions() {
        return perPosition.size();
    }

    public long[][] at(int position) {
        return perPosition.get(position);
    }

    public long[][] overall() {
        long[][] sum = new long[classes][classes];
        List<long[][]> all = new ArrayList<>(perPosition);
        all.add(beyondLabel);
        for (long[][] m : all) {
            for (int i = 0; i < classes; i++) {
                for (int j = 0; j < classes; j++) {
                    sum[i][j] += m[i][j];
                }
            }
        }
        return sum;
    }

    public static long total(long[][] m) {
        long t = 0;
        for (long[] row : m) {
            for (long v : row) {
                t += v;
            }
        }
        return t;
    }

    /** A truth/prediction pair and how often one was read as the other. */
    public record Pair(int truth, int predicted, long count) {}

    public static List<Pair> mostConfused(long[][] m, int n) {
        List<Pair> pairs = new ArrayList<>();
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < m.length; j++) {
                if (i != j && m[i][j] > 0) {
                    pairs.add(new Pair(i, j, m[i][j]));
                }
            }
        }
        pairs.sort(Comparator.comparingLong(Pair::count).reversed()
                .thenComparingInt(Pair::truth).thenComparingInt(Pair::predicted));
        return pairs.subList(0, Math.min(n, pairs.size()));
    }

    /**
     * Macro precision and recall over the classes that occur in truth or prediction, with 0 where a
     * class was never predicted (precision) or never true (recall) — scikit-learn's zero_division=0.
     */
    public static double[] macroPrecisionRecall(long[][] m) {
        double p = 0;
        double r = 0;
        int used = 0;
        for (int c = 0; c < m.length; c++) {
            long tp = m[c][c];
            long predicted = 0;
            long actual = 0;
            for (int k = 0; k < m.length; k++) {
                predicted += m[k][c];
                actual += m[c][k];
            }
            if (predicted == 0 && actual == 0) {
                continue;
            }
            used++;
            p += predicted == 0 ? 0 : tp / (double) predicted;
            r += actual == 0 ? 0 : tp / (double) actual;
        }
        return used == 0 ? new double[] {0, 0} : new double[] {p / used, r / used};
    }
}
