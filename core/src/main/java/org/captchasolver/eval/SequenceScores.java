package org.captchasolver.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * Accuracy of predicted strings against the truth, the way the seed notebook counts it and more.
 *
 * <p>Position {@code i} of an image is counted when the truth or the prediction has a character
 * there, and is right when both have the same one; so a missing or an extra character is wrong at
 * its position. Character accuracy is right positions over counted positions; the character error
 * rate is the edit distance over the length of the truth. Accuracy per position covers the positions
 * labels have (a prediction longer than every label adds no position); characters a prediction
 * inserts, drops or replaces are counted from the edit-distance alignment.
 */
public final class SequenceScores {
    private long images;
    private long correct;
    private long positionsCounted;
    private long positionsRight;
    private long editDistance;
    private long truthChars;
    private final List<long[]> perPosition = new ArrayList<>(); // {counted, right}
    private long insertions;
    private long deletions;
    private long substitutions;

    public void add(String truth, String predicted) {
        images++;
        if (truth.equals(predicted)) {
            correct++;
        }
        int n = Math.max(truth.length(), predicted.length());
        for (int i = 0; i < n; i++) {
            boolean right = i < truth.length() && i < predicted.length() && truth.charAt(i) == predicted.charAt(i);
            positionsCounted++;
            if (right) {
                positionsRight++;
            }
            if (i < truth.length()) {
                while (perPosition.size() <= i) {
                    perPosition.add(new long[2]);
                }
                perPosition.get(i)[0]++;
                perPosition.get(i)[1] += right ? 1 : 0;
            }
        }
        for (EditDistance.Step step : EditDistance.align(truth, predicted)) {
            switch (step.kind()) {
                case INSERTION -> insertions++;
                case DELETION -> deletions++;
                case SUBSTITUTION -> substitutions++;
                case MATCH -> { }
            }
            editDistance += step.kind() == EditDistance.Kind.MATCH ? 0 : 1; // a shortest alignment costs the distance
        }
        truthChars += truth.length();
    }

    public long images() {
        return images;
    }

    public long correct() {
        return correct;
    }

    public double sequenceAccuracy() {
        return images == 0 ? 0 : correct / (double) images;
    }

    public double charAccuracy() {
        return positionsCounted == 0 ? 0 : positionsRight / (double) positionsCounted;
    }

    public double characterErrorRate() {
        return truthChars == 0 ? 0 : editDistance / (double) truthChars;
    }

    /** Characters predicted that the truth does not have, over all images (from the alignment). */
    public long insertions() {
        return insertions;
    }

    /** Characters of the truth that the prediction lacks. */
    public long deletions() {
        return deletions;
    }

    /** Characters read as another character. */
    public long substitutions() {
        return substitutions;
    }

    public List<Double> positionAccuracy() {
        List<Double> out = new ArrayList<>();
        for (long[] p : perPosition) {
            out.add(p[0] == 0 ? 0 : p[1] / (double) p[0]);
        }
        return out;
    }
}
