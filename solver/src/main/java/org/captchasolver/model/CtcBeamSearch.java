package org.captchasolver.model;

import java.util.Arrays;

/**
 * CTC decoding by prefix beam search: the answer whose probability, summed over every alignment that
 * spells it, is highest, where the best path (the likeliest class per step) only finds the answer of
 * the single likeliest alignment. They differ when a character's probability is spread over several
 * frames that each lose to the blank, or when two readings split one frame. On nine trained
 * models (9,434 test images) the search read 3 more images right and none fewer (docs/accuracy.md).
 */
final class CtcBeamSearch {
    /** Prefixes kept after each step. */
    static final int WIDTH = 8;
    /**
     * Classes tried as the next character of each prefix at a step, the likeliest first. Four read the
     * same as eight on every trained model measured, and halve the worst case (a network unsure at
     * every step: ~80 instead of ~110 microseconds an image).
     */
    static final int BRANCHING = 4;
    /** Classes below this probability at a step do not extend a prefix there. */
    private static final double MIN_PROBABILITY = 1e-3;

    private CtcBeamSearch() {}

    static Prediction decode(Alphabet alphabet, float[] p, int base, int steps, int classes) {
        return decode(alphabet, p, base, steps, classes, WIDTH, BRANCHING);
    }

    static Prediction decode(Alphabet alphabet, float[] p, int base, int steps, int classes, int width, int branching) {
        Prediction bestPath = Decoder.ctcGreedy(alphabet, p, base, steps, classes);
        // Exact shortcut, and the common case for a trained model: an answer with more than half of the
        // probability is the likeliest, since answers split the alignments between them.
        if (CtcLattice.probability(CtcLattice.states(classes(alphabet, bestPath.text())), p, base, steps, classes) > 0.5) {
            return bestPath;
        }
        int[] ids = search(p, base, steps, classes, width, branching);
        StringBuilder text = new StringBuilder(ids.length);
        for (int id : ids) {
            text.append(alphabet.charOf(id));
        }
        return text.toString().equals(bestPath.text()) ? bestPath : aligned(text.toString(), ids, p, base, steps, classes);
    }

    private static int[] classes(Alphabet alphabet, String text) {
        int[] ids = new int[text.length()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = alphabet.classOf(text.charAt(i));
        }
        return ids;
    }

    /**
     * The best labeling's classes. Prefixes are nodes of a trie; each beam entry holds
     * the probability of its prefix ending in a blank and ending in a character. Everything is primitive
     * arrays: a solve call pays microseconds for this, tens of them when the network is unsure everywhere.
     */
    private static int[] search(float[] p, int base, int steps, int classes, int width, int branching) {
        Trie trie = new Trie();
        Beams beams = new Beams(width * (branching + 1));
        Beams next = new Beams(width * (branching + 1));
        beams.add(0, 1, 0);
        int[] candidates = new int[branching];
        for (int t = 0; t < steps; t++) {
            int row = base + t * classes;
            int kept = candidates(p, row, classes, candidates);
            next.clear();
            for (int b = 0; b < beams.size; b++) {
                int prefix = beams.node[b];
                double blank = beams.blank[b];
                double character = beams.character[b];
                int same = next.slot(prefix);
                next.blank[same] += (blank + character) * p[row];
                int last = trie.label[prefix];
                for (int i = 0; i < kept; i++) {
                    int c = candidates[i];
                    double pc = p[row + c];
                    int extended = next.slot(trie.child(prefix, c, beams));
                    if (c == last) {
                        // A repeat extends the prefix only across a blank; without one it merges into the last character.
                        next.character[extended] += blank * pc;
                        next.character[same] += character * pc;
                    } else {
                        next.character[extended] += (blank + character) * pc;
                    }
                }
            }
            next.keepBest(width);
            Beams swap = beams;
            beams = next;
            next = swap;
        }
        beams.keepBest(1);
        return trie.classes(beams.node[0]);
    }

    /** The non-blank classes worth extending with at one step, likeliest first, at most {@code out.length}. */
    private static int candidates(float[] p, int row, int classes, int[] out) {
        int n = 0;
        for (int c = 1; c < classes; c++) {
            float pc = p[row + c];
            if (pc < MIN_PROBABILITY || (n == out.length && pc <= p[row + out[n - 1]])) {
                continue;
            }
            int i = n == out.length ? n - 1 : n++;
            while (i > 0 && p[row + out[i - 1]] < pc) {
                out[i] = out[i - 1];
                i--;
            }
            out[i] = c;
        }
        return n;
    }

    /** Prefixes as trie nodes, each knowing its parent and its last class; node 0 is the empty prefix. */
    private static final class Trie {
        int[] parent = new int[256];
        int[] label = new int[256];
        private int size = 1;

        Trie() {
            label[0] = -1;
        }

        /**
         * The node for {@code node} + {@code c}. Prefixes kept from the last step are distinct, so the
         * extension can only exist already as one of them; otherwise it is new.
         */
        int child(int node, int c, Beams kept) {
            for (int i = 0; i < kept.size; i++) {
                int k = kept.node[i];
                if (label[k] == c && parent[k] == node && k != 0) {
                    return k;
                }
            }
            if (size == parent.length) {
                parent = Arrays.copyOf(parent, size * 2);
                label = Arrays.copyOf(label, size * 2);
            }
            parent[size] = node;
            label[size] = c;
            return size++;
        }

        /** The prefix's classes, first to last. */
        int[] classes(int node) {
            int length = 0;
            for (int n = node; n != 0; n = parent[n]) {
                length++;
            }
            int[] out = new int[length];
            for (int n = node; n != 0; n = parent[n]) {
                out[--length] = label[n];
            }
            return out;
        }
    }

    /** One step's prefixes and their two probabilities; entries are found by node through a stamped index. */
    private static final class Beams {
        final int[] node;
        final double[] blank;
        final double[] character;
        int size;
        private int[] entryOf = new int[256];
        private int[] stamp = new int[256];
        private int round = 1;

        Beams(int capacity) {
            node = new int[capacity];
            blank = new double[capacity];
            character = new double[capacity];
        }

        void add(int prefix, double pb, double pc) {
            int i = slot(prefix);
            blank[i] = pb;
            character[i] = pc;
        }

        /** The entry of {@code prefix}, added with zero probabilities if this step has not reached it yet. */
        int slot(int prefix) {
            if (prefix >= stamp.length) {
                int n = Math.max(prefix + 1, stamp.length * 2);
                stamp = Arrays.copyOf(stamp, n);
                entryOf = Arrays.copyOf(entryOf, n);
            }
            if (stamp[prefix] == round) {
                return entryOf[prefix];
            }
            stamp[prefix] = round;
            entryOf[prefix] = size;
            node[size] = prefix;
            blank[size] = 0;
            character[size] = 0;
            return size++;
        }

        void clear() {
            size = 0;
            round++;
        }

        /** Moves the {@code n} likeliest entries to the front and drops the rest (a selection: n is small). */
        void keepBest(int n) {
            for (int k = 0; k < Math.min(n, size); k++) {
                int best = k;
                for (int i = k + 1; i < size; i++) {
                    if (blank[i] + character[i] > blank[best] + character[best]) {
                        best = i;
                    }
                }
                swap(k, best);
            }
            size = Math.min(n, size);
        }

        private void swap(int a, int b) {
            int nd = node[a];
            node[a] = node[b];
            node[b] = nd;
            double x = blank[a];
            blank[a] = blank[b];
            blank[b] = x;
            x = character[a];
            character[a] = character[b];
            character[b] = x;
        }
    }

    /**
     * The prediction for the found answer, each character scored like the best path scores its own:
     * at the frame where it peaks on the likeliest alignment that spells this answer.
     */
    private static Prediction aligned(String text, int[] ids, float[] p, int base, int steps, int classes) {
        int[] peaks = CtcLattice.peaks(CtcLattice.states(ids), p, base, steps, classes);
        float[] confidences = new float[ids.length];
        float[][] distributions = new float[ids.length][];
        for (int k = 0; k < ids.length; k++) {
            int row = base + peaks[k] * classes;
            confidences[k] = p[row + ids[k]];
            distributions[k] = Arrays.copyOfRange(p, row, row + classes);
        }
        return Decoder.prediction(text, confidences, distributions);
    }
}
