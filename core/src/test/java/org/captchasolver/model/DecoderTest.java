package org.captchasolver.model;

import static org.assertj.core.api.Assertions.assertThat;

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
    void positionHeadsStopAtNoCharacter() {
        assertThat(Decoder.decode(HEADS, frames(3, 0.9f, 2, 1, 0, 1), 1, 4).get(0).text()).isEqualTo("ba");
        assertThat(Decoder.decode(HEADS, frames(3, 0.9f, 1, 1, 2, 2), 1, 4).get(0).text()).isEqualTo("aabb");
    }
}
