package org.captchasolver.train;

import org.captchasolver.image.Augmentation;
import org.captchasolver.image.InputShape;
import org.captchasolver.model.Architecture;

/**
 * How to train. The seed notebook's settings are the defaults where they make sense: Adam, batch 32,
 * early stopping on val_loss with patience 7 (best weights kept), LR x0.5 after 3 epochs without
 * improvement down to 1e-5.
 *
 * @param input          null for the architecture's default
 * @param learningRate   null for the architecture's default (seed-cnn: the seed's 0.005)
 * @param maxMinutes     stop after the epoch in which this much time has passed (0 = no limit)
 * @param monitor        "val_loss" (seed) or "val_seq_acc"
 */
public record TrainConfig(
        Architecture architecture,
        InputShape input,
        float widthMultiplier,
        org.captchasolver.model.ModelSpec.SequenceHead sequenceHead,
        int epochs,
        int batchSize,
        Float learningRate,
        int warmupEpochs,
        int earlyStopPatience,
        int lrPatience,
        float lrFactor,
        float minLearningRate,
        String monitor,
        Augmentation augmentation,
        float labelSmoothing,
        double maxMinutes,
        long seed) {

    public TrainConfig {
        if (epochs < 1) {
            throw new IllegalArgumentException("--epochs must be at least 1");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("--batch-size must be at least 1");
        }
        if (learningRate != null && !(learningRate > 0)) {
            throw new IllegalArgumentException("--lr must be positive");
        }
        if (!monitor.equals("val_loss") && !monitor.equals("val_seq_acc")) {
            throw new IllegalArgumentException("--monitor must be val_loss or val_seq_acc");
        }
    }

    public InputShape inputOrDefault() {
        return input != null ? input : architecture.defaultInput();
    }

    public float learningRateOrDefault() {
        if (learningRate != null) {
            return learningRate;
        }
        return architecture == Architecture.SEED_CNN ? 0.005f : 0.002f;
    }

    public boolean monitorMaximises() {
        return monitor.equals("val_seq_acc");
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private Architecture architecture = Architecture.CRNN;
        private InputShape input;
        private float widthMultiplier = 1f;
        private org.captchasolver.model.ModelSpec.SequenceHead sequenceHead = org.captchasolver.model.ModelSpec.SequenceHead.LSTM;
        private int epochs = 50;
        private int batchSize = 32;
        private Float learningRate;
        private int warmupEpochs = 1;
        private int earlyStopPatience = 7;
        private int lrPatience = 3;
        private float lrFactor = 0.5f;
        private float minLearningRate = 1e-5f;
        private String monitor = "val_loss";
        private Augmentation augmentation = Augmentation.DEFAULT;
        private float labelSmoothing = 0f;
        private double maxMinutes = 0;
        private long seed = 42;

        public Builder architecture(Architecture v) { architecture = v; return this; }
        public Builder input(InputShape v) { input = v; return this; }
        public Builder widthMultiplier(float v) { widthMultiplier = v; return this; }
        public Builder sequenceHead(org.captchasolver.model.ModelSpec.SequenceHead v) { sequenceHead = v; return this; }
        public Builder epochs(int v) { epochs = v; return this; }
        public Builder batchSize(int v) { batchSize = v; return this; }
        public Builder learningRate(Float v) { learningRate = v; return this; }
        public Builder warmupEpochs(int v) { warmupEpochs = v; return this; }
        public Builder earlyStopPatience(int v) { earlyStopPatience = v; return this; }
        public Builder lrPatience(int v) { lrPatience = v; return this; }
        public Builder lrFactor(float v) { lrFactor = v; return this; }
        public Builder minLearningRate(float v) { minLearningRate = v; return this; }
        public Builder monitor(String v) { monitor = v; return this; }
        public Builder augmentation(Augmentation v) { augmentation = v; return this; }
        public Builder labelSmoothing(float v) { labelSmoothing = v; return this; }
        public Builder maxMinutes(double v) { maxMinutes = v; return this; }
        public Builder seed(long v) { seed = v; return this; }

        public TrainConfig build() {
            return new TrainConfig(architecture, input, widthMultiplier, sequenceHead, epochs, batchSize, learningRate, warmupEpochs,
                    earlyStopPatience, lrPatience, lrFactor, minLearningRate, monitor, augmentation, labelSmoothing,
                    maxMinutes, seed);
        }
    }
}
