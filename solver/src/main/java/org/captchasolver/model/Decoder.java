package org.captchasolver.model;

import java.util.ArrayList;
import java.util.List;

/** Turns per-step class probabilities (B, T, C) into text, for either kind of output. */
public final class Decoder {
    private Decoder() {}

    /**
     * Reads texts and confidences from softmax outputs: by CTC beam search for the CRNN, head by head otherwise.
     *
     * @param probs softmax outputs of shape (batch, steps, classes), row-major
     */
    public static List<Prediction> decode(ModelSpec spec, float[] probs, int batch, int steps) {
        Alphabet alphabet = spec.alphabetObject();
        int classes = spec.classes();
        List<Prediction> out = new ArrayList<>(batch);
        for (int b = 0; b < batch; b++) {
            int base = b * steps * classes;
            out.add(spec.architecture().usesCtc()
                    ? CtcBeamSearch.decode(alphabet, probs, base, steps, classes)
                    : positions(alphabet, probs, base, steps, classes));
        }
        return out;
    }

    /**
     * Texts only, by the best path (CTC) or head by head, from scores of shape (batch, steps, classes):
     * logits or probabilities alike, since only each step's largest matters. For watching training, where
     * the beam search's few extra right answers are not worth its time.
     */
    public static List<String> bestPathTexts(ModelSpec spec, float[] scores, int batch, int steps) {
        Alphabet alphabet = spec.alphabetObject();
        int classes = spec.classes();
        boolean ctc = spec.architecture().usesCtc();
        List<String> out = new ArrayList<>(batch);
        for (int b = 0; b < batch; b++) {
            StringBuilder text = new StringBuilder();
            int prev = 0;
            for (int t = 0; t < steps; t++) {
                int k = argmax(scores, (b * steps + t) * classes, classes);
                if (!ctc && k == 0) {
                    break;
                }
                if (k != 0 && (!ctc || k != prev)) {
                    text.append(alphabet.charOf(k));
                }
                prev = k;
            }
            out.add(text.toString());
        }
        return out;
    }

    /**
     * Best path: the most likely class per step, repeats merged, blanks dropped. A blank between two
     * equal characters keeps them apart ("a a _ a" reads "aa"). CTC outputs are decoded by
     * {@link CtcBeamSearch}, which starts from this.
     */
    static Prediction ctcGreedy(Alphabet alphabet, float[] p, int base, int steps, int classes) {
        StringBuilder text = new StringBuilder();
        List<Float> conf = new ArrayList<>();
        List<float[]> dist = new ArrayList<>();
        int prev = 0;
        for (int t = 0; t < steps; t++) {
            int row = base + t * classes;
            int k = argmax(p, row, classes);
            float pk = p[row + k];
            if (k != 0 && k != prev) {
                text.append(alphabet.charOf(k));
                conf.add(pk);
                dist.add(java.util.Arrays.copyOfRange(p, row, row + classes));
            } else if (k != 0 && pk > conf.get(conf.size() - 1)) {
                conf.set(conf.size() - 1, pk);
                dist.set(dist.size() - 1, java.util.Arrays.copyOfRange(p, row, row + classes));
            }
            prev = k;
        }
        return finish(text.toString(), conf, dist);
    }

    /** One character per head until a head says "no character". */
    static Prediction positions(Alphabet alphabet, float[] p, int base, int positions, int classes) {
        StringBuilder text = new StringBuilder();
        List<Float> conf = new ArrayList<>();
        List<float[]> dist = new ArrayList<>();
        for (int i = 0; i < positions; i++) {
            int row = base + i * classes;
            int k = argmax(p, row, classes);
            if (k == 0) {
                break;
            }
            text.append(alphabet.charOf(k));
            conf.add(p[row + k]);
            dist.add(java.util.Arrays.copyOfRange(p, row, row + classes));
        }
        return finish(text.toString(), conf, dist);
    }

    private static Prediction finish(String text, List<Float> conf, List<float[]> dist) {
        float[] c = new float[conf.size()];
        for (int i = 0; i < c.length; i++) {
            c[i] = conf.get(i);
        }
        return prediction(text, c, dist.toArray(new float[0][]));
    }

    /** The answer's confidence is the product of its characters'; an empty answer has none. */
    static Prediction prediction(String text, float[] charConfidences, float[][] charDistributions) {
        double overall = text.isEmpty() ? 0 : 1;
        for (float c : charConfidences) {
            overall *= c;
        }
        return new Prediction(text, (float) overall, charConfidences, charDistributions);
    }

    private static int argmax(float[] p, int from, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (p[from + i] > p[from + best]) {
                best = i;
            }
        }
        return best;
    }
}
