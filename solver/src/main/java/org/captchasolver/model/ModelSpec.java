package org.captchasolver.model;

import org.captchasolver.image.InputShape;

/**
 * Everything needed to rebuild a network and read its output: architecture, input, alphabet,
 * longest label, the width multiplier with its channel rounding, and the CRNN's layer order.
 */
public record ModelSpec(Architecture architecture, InputShape input, String alphabet, int maxLength, float widthMultiplier,
                        SequenceHead sequenceHead, Stem stem, ChannelRounding channelRounding, Pooling pooling) {

    /** How the CRNN turns column features into per-step predictions. */
    public enum SequenceHead {
        /** Two 1-D convolutions over the columns: cheapest, slower to converge. */
        CONV,
        /** A bidirectional LSTM (two one-direction layers): every step sees the whole line. */
        LSTM;

        /** The command line's name: {@code conv} or {@code lstm}. */
        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
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
         * about 15% faster to train and 25% faster to solve, but less accurate (docs/accuracy.md, "Stem").
         */
        STRIDED;

        /** The command line's name: {@code pooled} or {@code strided}. */
        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * How a width multiplier turns a layer's base width into channels. Bundles written before this
     * choice existed carry no value and read as {@link #EXACT}, the network they were trained with;
     * at a multiplier of 1 both give the same network.
     */
    public enum ChannelRounding {
        /** The scaled width rounded to the nearest integer: 1.25 gives 20/40/80/80/120 channels. */
        EXACT,
        /**
         * Widths of 16 and more rounded to the nearest multiple of 16, the block oneDNN's fast
         * convolution kernels work in: at 1.25 (16/48/80/80/128) a training step runs ~50% faster than
         * {@link #EXACT}'s, which is slower than the 1.5x network's (docs/performance.md, "Network").
         */
        MULTIPLE_OF_16
    }

    /**
     * Where a CRNN stage's max pooling sits. Bundles and run configs written before this choice existed
     * carry no value and read as {@link #AFTER_ACTIVATION}, the network they were trained with (their
     * weights would not load into the other order).
     */
    public enum Pooling {
        /** Convolution, batch norm, ReLU, then pooling. */
        AFTER_ACTIVATION,
        /**
         * Convolution, pooling, then batch norm and ReLU on the pooled map: a quarter of the values to
         * normalise and rectify in the pooled stages, so a training step runs ~20% faster
         * (docs/performance.md, "Network") at the same accuracy (docs/accuracy.md). The default.
         */
        BEFORE_NORM
    }

    public ModelSpec(Architecture architecture, InputShape input, String alphabet, int maxLength, float widthMultiplier) {
        this(architecture, input, alphabet, maxLength, widthMultiplier, SequenceHead.LSTM, Stem.POOLED);
    }

    public ModelSpec(Architecture architecture, InputShape input, String alphabet, int maxLength, float widthMultiplier,
                     SequenceHead sequenceHead, Stem stem) {
        this(architecture, input, alphabet, maxLength, widthMultiplier, sequenceHead, stem, Pooling.BEFORE_NORM);
    }

    public ModelSpec(Architecture architecture, InputShape input, String alphabet, int maxLength, float widthMultiplier,
                     SequenceHead sequenceHead, Stem stem, Pooling pooling) {
        this(architecture, input, alphabet, maxLength, widthMultiplier, sequenceHead, stem, ChannelRounding.MULTIPLE_OF_16, pooling);
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
        if (channelRounding == null) {
            channelRounding = ChannelRounding.EXACT;
        }
        if (pooling == null) {
            pooling = Pooling.AFTER_ACTIVATION;
        }
        if (widthMultiplier <= 0) {
            throw new IllegalArgumentException("widthMultiplier must be positive");
        }
    }

    /** The alphabet, as an object. */
    public Alphabet alphabetObject() {
        return new Alphabet(alphabet);
    }

    /** Output classes per step: the alphabet plus the blank (CTC) or "no character" (heads). */
    public int classes() {
        return alphabet.length() + 1;
    }

    /** Channels of a layer whose width at a multiplier of 1 is {@code base}. */
    public int channels(int base) {
        int c = Math.max(4, Math.round(base * widthMultiplier));
        return channelRounding == ChannelRounding.MULTIPLE_OF_16 && c >= 16 ? Math.round(c / 16f) * 16 : c;
    }

    /** Output columns of the CRNN: the CNN halves the width twice. */
    public int sequenceLength() {
        return input.width() / 4;
    }
}
