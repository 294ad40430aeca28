package org.captchasolver.model;

/**
 * The states a CTC alignment walks through for one answer: a blank before, between and after its
 * characters. Shared by the loss (sums over alignments in log space), the decoder's check of an
 * answer's probability (sums in probability space) and its alignment of a found answer (best single
 * alignment), so that all three follow the same moves.
 */
final class CtcLattice {
    private CtcLattice() {}

    /** Blank, c1, blank, c2, ..., blank: {@code 2 * classes.length + 1} states, class 0 being the blank. */
    static int[] states(int[] classes) {
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
    static boolean canSkip(int[] ext, int j) {
        return j >= 2 && ext[j] != 0 && ext[j] != ext[j - 2];
    }
}
