package org.captchasolver.model;

import org.captchasolver.dataset.Alphabet;
import org.captchasolver.image.InputShape;

/**
 * Everything needed to rebuild a network and read its output: architecture, input, alphabet,
 * longest label, and the width multiplier of the CRNN.
 */
public record ModelSpec(Architecture architecture, InputShape input, String alphabet, int maxLength, float widthMultiplier,
                        SequenceHead sequenceHead, Stem stem) {

    /** How the CRNN turns column features into per-step predictions. */
    public enum SequenceHead {
        /** Two 1-D convolutions over the columns: cheapest, slower to converge. */
        CONV,
        /** A bidirectional LSTM (two one-direction layers): every step sees the whole line. */
        LSTM
    }

    /**
     * How the CRNN's first layer halves the image. Bundles written before this choice existed carry
     * no value and read as {@link #POOLED}, the network they were trained with.
     */
    public enum Stem {
        /** A convolution at full resolution, then 2x2 max pooling: the default, the more accurate. */
        POOLED,
        /**
         * One stride-2 convolution: the same output size at a quarter of the first layer's work,
         * about 15% faster to train and 25% faster to solve, but less accurate (docs/accuracy.md rows 40-41).
         */
        STRIDED
    }

    public ModelSpec(Architecture architecture, InputShape input, String alphabet, int maxLength, float widthMultiplier) {
        this(architecture, input, alphabet, maxLength, widthMultiplier, SequenceHead.LSTM, Stem.POOLED);
    }

    public ModelSpec {
        new Alphabet(alphabet); // validates
        if (maxLength < 1) {
            throw new IllegalArgumentException("maxLength must be at least 1");
        }
        if (sequenceHead == null) {
            sequenceHead = SequenceHead.LSTM;
        }
        if (stem == null) {
            stem = Stem.POOLED;
        }
        if (widthMultiplier <= 0) {
            throw new IllegalArgumentException("widthMultiplier must be positive");
        }
    }

    public Alphabet alphabetObject() {
        return new Alphabet(alphabet);
    }

    public int classes() {
        return alphabet.length() + 1;
    }

    /** Output columns of the CRNN: the CNN halves the width twice. */
    public int sequenceLength() {
        return input.width() / 4;
    }
}
