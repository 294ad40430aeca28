package org.captchasolver.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * ROC and precision-recall curves of scores against binary truth, from fixed-width score bins:
 * constant memory however many images, and exact up to the 1/{@value #BINS} bin width.
 */
public final class ScoreCurves {
    static final int BINS = 2000;
    private final long[] positives = new long[BINS + 1];
    private final long[] negatives = new long[BINS + 1];

    public void add(float score, boolean positive) {
        int bin = Math.max(0, Math.min(BINS, Math.round(score * BINS)));
        if (positive) {
            positives[bin]++;
        } else {
            negatives[bin]++;
        }
    }

    /** One point per threshold, from the highest threshold down. */
    public record Point(double threshold, double fpr, double tpr, double precision, double recall) {}

    public List<Point> points() {
        long pos = 0;
        long neg = 0;
        for (int i = 0; i <= BINS; i++) {
            pos += positives[i];
            neg += negatives[i];
        }
        List<Point> out = new ArrayList<>();
        out.add(new Point(1.0 + 1e-9, 0, 0, 1, 0));
        long tp = 0;
        long fp = 0;
        for (int i = BINS; i >= 0; i--) {
            if (positives[i] == 0 && negatives[i] == 0) {
                continue;
            }
            tp += positives[i];
            fp += negatives[i];
            out.add(new Point(i / (double) BINS, neg == 0 ? 0 : fp / (double) neg, pos == 0 ? 0 : tp / (double) pos,
                    tp + fp == 0 ? 1 : tp / (double) (tp + fp), pos == 0 ? 0 : tp / (double) pos));
        }
        return out;
    }

    /** Area under the ROC curve (trapezoids). */
    public double auc() {
        List<Point> p = points();
        double area = 0;
        for (int i = 1; i < p.size(); i++) {
            area += (p.get(i).fpr() - p.get(i - 1).fpr()) * (p.get(i).tpr() + p.get(i - 1).tpr()) / 2;
        }
        return area;
    }

    /** Average precision: precision summed over recall steps, as scikit-learn defines it. */
    public double averagePrecision() {
        List<Point> p = points();
        double ap = 0;
        for (int i = 1; i < p.size(); i++) {
            ap += (p.get(i).recall() - p.get(i - 1).recall()) * p.get(i).precision();
        }
        return ap;
    }
}
