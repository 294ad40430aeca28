package org.captchasolver.eval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Levenshtein distance between two strings, and the alignment that achieves it. */
public final class EditDistance {
    private EditDistance() {}

    /** What one step of an alignment does. */
    public enum Kind {
        /** The same character on both sides. */
        MATCH,
        /** A different character in place of the truth's. */
        SUBSTITUTION,
        /** A character the prediction has and the truth does not. */
        INSERTION,
        /** A character of the truth that the prediction lacks. */
        DELETION
    }

    /**
     * One step of an alignment.
     *
     * @param truth     the truth's character, or 0 for an insertion
     * @param predicted the prediction's character, or 0 for a deletion
     */
    public record Step(Kind kind, char truth, char predicted) {}

    /** The number of insertions, deletions and substitutions that turn {@code a} into {@code b}. */
    public static int of(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /**
     * A shortest alignment of {@code predicted} to {@code truth}, in reading order: one inserted or dropped
     * character costs one step, so the characters after it still line up. Among equally short
     * alignments, matches and substitutions are preferred to an insertion and deletion pair.
     */
    public static List<Step> align(String truth, String predicted) {
        int n = truth.length();
        int m = predicted.length();
        int[][] d = new int[n + 1][m + 1];
        for (int i = 0; i <= n; i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= m; j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= n; i++) {
            for (int j = 1; j <= m; j++) {
                int cost = truth.charAt(i - 1) == predicted.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
            }
        }
        List<Step> steps = new ArrayList<>(Math.max(n, m));
        int i = n;
        int j = m;
        while (i > 0 || j > 0) {
            if (i > 0 && j > 0) {
                char t = truth.charAt(i - 1);
                char p = predicted.charAt(j - 1);
                if (d[i][j] == d[i - 1][j - 1] + (t == p ? 0 : 1)) {
                    steps.add(new Step(t == p ? Kind.MATCH : Kind.SUBSTITUTION, t, p));
                    i--;
                    j--;
                    continue;
                }
            }
            if (j > 0 && d[i][j] == d[i][j - 1] + 1) {
                steps.add(new Step(Kind.INSERTION, (char) 0, predicted.charAt(j - 1)));
                j--;
            } else {
                steps.add(new Step(Kind.DELETION, truth.charAt(i - 1), (char) 0));
                i--;
            }
        }
        Collections.reverse(steps);
        return steps;
    }
}
