package org.captchasolver.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.captchasolver.image.InputShape;
import org.junit.jupiter.api.Test;

class DecoderTest {
    private static final ModelSpec CTC = new ModelSpec(Architecture.CRNN, new InputShape(1, 16, 32), "ab", 3, 1f);
    private static final ModelSpec HEADS = new ModelSpec(Architecture.SEED_CNN, new InputShape(3, 16, 32), "ab", 4, 1f);

    /** One-hot-ish rows: the chosen class gets {@code p}, the rest share the remainder. */
    private static float[] frames(int classes, float p, int... picks) {
        float[] out = new float[picks.length * classes];
        for (int t = 0; t < picks.length; t++) {
            for (int c = 0; c < classes; c++) {
                out[t * classes + c] = c == picks[t] ? p : (1 - p) / (classes - 1);
            }
        }
        return out;
    }

    @Test
    void ctcCollapsesRepeatsDropsBlanksButKeepsLettersSplitByABlank() {
        assertThat(Decoder.decode(CTC, frames(3, 0.9f, 1, 1, 0, 1, 2, 2, 0), 1, 7).get(0).text()).isEqualTo("aab");
        assertThat(Decoder.decode(CTC, frames(3, 0.9f, 1, 1, 1, 2, 2, 0, 0), 1, 7).get(0).text()).isEqualTo("ab");
        assertThat(Decoder.decode(CTC, frames(3, 0.9f, 0, 0, 0), 1, 3).get(0).text()).isEmpty();
    }

    @Test
    void confidenceIsTheProductOfCharacterConfidences() {
        Prediction p = Decoder.decode(CTC, frames(3, 0.8f, 1, 0, 2), 1, 3).get(0);
        assertThat(p.charConfidences()).containsExactly(0.8f, 0.8f);
        assertThat(p.confidence()).isCloseTo(0.64f, org.assertj.core.api.Assertions.within(1e-5f));
        assertThat(p.charDistributions()).hasNumberOfRows(2);
        assertThat(p.charDistributions()[0]).hasSize(3);
    }

    @Test
    void ctcReadsTheAnswerWhoseAlignmentsTogetherOutweighTheSingleBestOne() {
        // Each frame's likeliest class is the blank (0.4), so the best path reads nothing (p = 0.16);
        // but "a" is spelt by "a a", "a _" and "_ a": 0.32^2 + 2 * 0.32 * 0.4 = 0.358.
        float[] two = {0.4f, 0.32f, 0.28f, 0.4f, 0.32f, 0.28f};
        assertThat(Decoder.ctcGreedy(CTC.alphabetObject(), two, 0, 2, 3).text()).isEmpty();
        Prediction p = Decoder.decode(CTC, two, 1, 2).get(0);
        assertThat(p.text()).isEqualTo("a");
        assertThat(p.charConfidences()).containsExactly(0.32f);
        assertThat(p.charDistributions()[0]).containsExactly(0.4f, 0.32f, 0.28f);
        assertThat(p.confidence()).isEqualTo(0.32f);
    }

    @Test
    void ctcAnswersOfTwoFramesEachAndOfABatchAreDecodedApart() {
        // "b" needs both of the first two frames; the second image in the batch is a confident "ab".
        float[] probs = {
            0.45f, 0.10f, 0.45f, 0.46f, 0.10f, 0.44f, 0.98f, 0.01f, 0.01f,
            0.01f, 0.98f, 0.01f, 0.98f, 0.01f, 0.01f, 0.01f, 0.01f, 0.98f};
        List<Prediction> out = Decoder.decode(CTC, probs, 2, 3);
        assertThat(out).extracting(Prediction::text).containsExactly("b", "ab");
        assertThat(out.get(0).charConfidences()).containsExactly(0.45f);
    }

    @Test
    void answerProbabilitiesAndAWideEnoughBeamSearchAgreeWithSummingEveryAlignment() {
        // Brute force over every alignment of 5 frames of {blank, a, b}: 243 paths, summed by what they spell.
        // Random frames are far less sure than a trained network's; the default search keeps 8 prefixes
        // and can lose the best on such data, so exactness is checked with room for every prefix.
        java.util.Random rnd = new java.util.Random(7);
        int steps = 5;
        int differs = 0;
        for (int trial = 0; trial < 300; trial++) {
            float[] p = new float[steps * 3];
            for (int t = 0; t < steps; t++) {
                float sum = 0;
                for (int c = 0; c < 3; c++) {
                    p[t * 3 + c] = (float) Math.pow(rnd.nextFloat(), 3);
                    sum += p[t * 3 + c];
                }
                for (int c = 0; c < 3; c++) {
                    p[t * 3 + c] /= sum;
                }
            }
            java.util.Map<String, Double> byText = new java.util.HashMap<>();
            for (int path = 0; path < 243; path++) {
                StringBuilder text = new StringBuilder();
                double prob = 1;
                int prev = 0;
                for (int t = 0, code = path; t < steps; t++, code /= 3) {
                    int k = code % 3;
                    prob *= p[t * 3 + k];
                    if (k != 0 && k != prev) {
                        text.append(k == 1 ? 'a' : 'b');
                    }
                    prev = k;
                }
                byText.merge(text.toString(), prob, Double::sum);
            }
            for (java.util.Map.Entry<String, Double> e : byText.entrySet()) {
                assertThat(CtcLattice.probability(CtcLattice.states(e.getKey().chars().map(ch -> CTC.alphabetObject().classOf((char) ch)).toArray()), p, 0, steps, 3))
                        .as("P(%s), trial %d", e.getKey(), trial).isCloseTo(e.getValue(), org.assertj.core.api.Assertions.within(1e-6));
            }
            String likeliest = java.util.Collections.max(byText.entrySet(), java.util.Map.Entry.comparingByValue()).getKey();
            assertThat(CtcBeamSearch.decode(CTC.alphabetObject(), p, 0, steps, 3, 64, 2).text()).as("trial %d", trial).isEqualTo(likeliest);
            if (!Decoder.ctcGreedy(CTC.alphabetObject(), p, 0, steps, 3).text().equals(likeliest)) {
                differs++;
            }
        }
        assertThat(differs).as("cases where the best path is not the likeliest answer").isGreaterThan(10);
    }

    @Test
    void positionHeadsStopAtNoCharacter() {
        assertThat(Decoder.decode(HEADS, frames(3, 0.9f, 2, 1, 0, 1), 1, 4).get(0).text()).isEqualTo("ba");
        assertThat(Decoder.decode(HEADS, frames(3, 0.9f, 1, 1, 2, 2), 1, 4).get(0).text()).isEqualTo("aabb");
    }
}
