package org.captchasolver.train;

import org.captchasolver.augment.Augmentation;
import org.captchasolver.image.InputShape;
import org.captchasolver.model.Architecture;
import org.captchasolver.model.ModelSpec;

/**
 * How to train. The defaults are the recipe of docs/accuracy.md: Adam, batch 32, early stopping on
 * validation sequence accuracy with a patience of 1000 steps (the best epoch kept, or the last once the LR
 * has annealed: {@link TrainingRun#keptEpoch}), LR x0.5 when
 * val_loss stalls for a third of that, down to 1e-5, a 15-minute budget, the LR annealed over
 * the second half of the epochs that fit it (or, if patience runs out first, over the next half as
 * many epochs as ran, after which the run stops), and a moving average of the weights validated and kept
 * in place of the last step's, and augmentation only once the model reads. {@link #notebook}
 * gives the seed notebook's settings.
 *
 * @param input          null to choose it from the data ({@link InputGeometry})
 * @param stem           how the CRNN first halves the image; null (configs written before it existed) means pooled
 * @param pooling        where the CRNN's stages pool; null (configs written before it existed) means after the ReLU,
 *                       so that resuming an older run rebuilds the network it was training
 * @param learningRate   null for the architecture's default (seed-cnn: the seed's 0.005)
 * @param earlyStopPatience epochs without improvement before stopping; null: by steps (see {@link #earlyStopPatienceFor})
 * @param lrPatience     epochs without val_loss improvement before halving the LR; null: a third of the early-stop patience
 * @param maxMinutes     stop after the epoch in which this much time has passed (0 = no limit)
 * @param monitor        "val_loss" (seed) or "val_seq_acc"
 * @param stepsPerEpoch  0 for a full pass over the training split; else at most this many steps (a fresh sample each epoch)
 * @param valLimit       0 to validate on the whole validation split; else on a fixed sample of this many images
 * @param anneal         after the first epoch, plan the epochs that fit the budget (or the epoch cap) and
 *                       anneal the LR along a half cosine over the second half of them (with a budget, the
 *                       plan's end is re-fitted to the epochs' mean time as the cosine starts); patience that runs
 *                       out before the anneal has ended anneals from the LR reached instead of stopping the run
 * @param averageWeights validate, keep and ship an exponential moving average of the weights
 *                       ({@link WeightAverage}) instead of the last step's
 * @param augmentOnceReading train without augmentation until the model reads half the validation characters
 * @param plateauFromStart count epochs toward early stopping and LR cuts from the first, as the seed's Keras
 *                       callbacks do; false (the recipe, and configs written before it existed) waits for a
 *                       reading model ({@link TrainingSchedule#patienceCounts})
 * @param weightDecay    0 for Adam; above 0, AdamW with this decoupled decay per unit of learning rate
 *                       (configs written before it existed read as 0)
 * @param init           null to start from random weights; else {@link InitialWeights#BASE} or a run folder whose
 *                       network is fine-tuned ({@link InitialWeights}), or {@link InitialWeights#AUTO}: the base for a
 *                       small training split ({@link InitialWeights#chooseAuto}), written back resolved when the run starts
 * @param unlabelled     null, or a folder of images without labels to self-train on ({@link PseudoLabels})
 */
public record TrainConfig(
        Architecture architecture,
        InputShape input,
        float widthMultiplier,
        ModelSpec.SequenceHead sequenceHead,
        ModelSpec.Stem stem,
        ModelSpec.Pooling pooling,
        int epochs,
        int batchSize,
        Float learningRate,
        int warmupEpochs,
        Integer earlyStopPatience,
        Integer lrPatience,
        float lrFactor,
        float minLearningRate,
        String monitor,
        Augmentation augmentation,
        float labelSmoothing,
        double maxMinutes,
        int stepsPerEpoch,
        int valLimit,
        boolean anneal,
        boolean averageWeights,
        boolean augmentOnceReading,
        boolean plateauFromStart,
        float weightDecay,
        String init,
        String unlabelled,
        long seed) {

    static final int PATIENCE_STEPS = 1000;
    static final int MIN_PATIENCE_EPOCHS = 10;
    /** The default time budget: the accuracy goals are met within it on 2 cores (docs/accuracy.md). */
    public static final double DEFAULT_MAX_MINUTES = 15;

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
        if (stepsPerEpoch < 0 || valLimit < 0) {
            throw new IllegalArgumentException("--steps-per-epoch and --val-limit must be 0 (all) or positive");
        }
        if (!(weightDecay >= 0 && weightDecay < 1)) {
            throw new IllegalArgumentException("--weight-decay must be at least 0 and below 1");
        }
        if (pooling == null) {
            pooling = ModelSpec.Pooling.AFTER_ACTIVATION;
        }
        if (!monitor.equals("val_loss") && !monitor.equals("val_seq_acc")) {
            throw new IllegalArgumentException("--monitor must be val_loss or val_seq_acc");
        }
    }

    /**
     * Patience counted in steps, not epochs: an epoch of a 700-image set is 22 steps, too few for
     * 7 epochs to tell a plateau from noise; an epoch of 10,000 images is 300 (docs/accuracy.md).
     */
    public int earlyStopPatienceFor(int stepsPerEpoch) {
        if (earlyStopPatience != null) {
            return earlyStopPatience;
        }
        return Math.max(MIN_PATIENCE_EPOCHS, (PATIENCE_STEPS + stepsPerEpoch - 1) / Math.max(1, stepsPerEpoch));
    }

    public int lrPatienceFor(int stepsPerEpoch) {
        return lrPatience != null ? lrPatience : Math.max(3, earlyStopPatienceFor(stepsPerEpoch) / 3);
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

    /** A builder holding this config's values. */
    public Builder toBuilder() {
        return builder().architecture(architecture).input(input).widthMultiplier(widthMultiplier).sequenceHead(sequenceHead)
                .stem(stem).pooling(pooling).epochs(epochs).batchSize(batchSize).learningRate(learningRate)
                .warmupEpochs(warmupEpochs).earlyStopPatience(earlyStopPatience).lrPatience(lrPatience).lrFactor(lrFactor)
                .minLearningRate(minLearningRate).monitor(monitor).augmentation(augmentation).labelSmoothing(labelSmoothing)
                .maxMinutes(maxMinutes).stepsPerEpoch(stepsPerEpoch).valLimit(valLimit).anneal(anneal)
                .averageWeights(averageWeights).augmentOnceReading(augmentOnceReading).plateauFromStart(plateauFromStart)
                .weightDecay(weightDecay).init(init).unlabelled(unlabelled).seed(seed);
    }

    /**
     * The seed notebook's settings: 50 epochs, early stopping on val_loss after 7, LR x0.5 after 3, both
     * counted from the first epoch; its photometric augmentation only; no warm-up, annealing, averaging or
     * holding back augmentation.
     */
    public static Builder notebook() {
        return builder().epochs(50).monitor("val_loss").earlyStopPatience(7).lrPatience(3).maxMinutes(0).anneal(false).averageWeights(false)
                .augmentation(Augmentation.DEFAULT.withoutAffine()).augmentOnceReading(false).warmupEpochs(0).plateauFromStart(true);
    }

    public static final class Builder {
        private Architecture architecture = Architecture.CRNN;
        private InputShape input;
        private float widthMultiplier = 1f;
        private ModelSpec.SequenceHead sequenceHead = ModelSpec.SequenceHead.LSTM;
        private ModelSpec.Stem stem = ModelSpec.Stem.POOLED;
        private ModelSpec.Pooling pooling = ModelSpec.Pooling.BEFORE_NORM;
        private int epochs = 300;
        private int batchSize = 32;
        private Float learningRate;
        private int warmupEpochs = 1;
        private Integer earlyStopPatience;
        private Integer lrPatience;
        private float lrFactor = 0.5f;
        private float minLearningRate = 1e-5f;
        private String monitor = "val_seq_acc";
        private Augmentation augmentation = Augmentation.DEFAULT;
        private float labelSmoothing = 0f;
        private double maxMinutes = DEFAULT_MAX_MINUTES;
        private int stepsPerEpoch = 0;
        private int valLimit = 0;
        private boolean anneal = true;
        private boolean averageWeights = true;
        private boolean augmentOnceReading = true;
        private boolean plateauFromStart;
        private float weightDecay = 0f;
        private String init;
        private String unlabelled;
        private long seed = 42;

        public Builder architecture(Architecture v) { architecture = v; return this; }
        public Builder input(InputShape v) { input = v; return this; }
        public Builder widthMultiplier(float v) { widthMultiplier = v; return this; }
        public Builder sequenceHead(ModelSpec.SequenceHead v) { sequenceHead = v; return this; }
        public Builder stem(ModelSpec.Stem v) { stem = v; return this; }
        public Builder pooling(ModelSpec.Pooling v) { pooling = v; return this; }
        public Builder epochs(int v) { epochs = v; return this; }
        public Builder batchSize(int v) { batchSize = v; return this; }
        public Builder learningRate(Float v) { learningRate = v; return this; }
        public Builder warmupEpochs(int v) { warmupEpochs = v; return this; }
        public Builder earlyStopPatience(Integer v) { earlyStopPatience = v; return this; }
        public Builder lrPatience(Integer v) { lrPatience = v; return this; }
        public Builder lrFactor(float v) { lrFactor = v; return this; }
        public Builder minLearningRate(float v) { minLearningRate = v; return this; }
        public Builder monitor(String v) { monitor = v; return this; }
        public Builder augmentation(Augmentation v) { augmentation = v; return this; }
        public Builder labelSmoothing(float v) { labelSmoothing = v; return this; }
        public Builder maxMinutes(double v) { maxMinutes = v; return this; }
        public Builder stepsPerEpoch(int v) { stepsPerEpoch = v; return this; }
        public Builder valLimit(int v) { valLimit = v; return this; }
        public Builder anneal(boolean v) { anneal = v; return this; }
        public Builder averageWeights(boolean v) { averageWeights = v; return this; }
        public Builder augmentOnceReading(boolean v) { augmentOnceReading = v; return this; }
        public Builder plateauFromStart(boolean v) { plateauFromStart = v; return this; }
        public Builder weightDecay(float v) { weightDecay = v; return this; }
        public Builder init(String v) { init = v; return this; }
        public Builder unlabelled(String v) { unlabelled = v; return this; }
        public Builder seed(long v) { seed = v; return this; }

        public TrainConfig build() {
            return new TrainConfig(architecture, input, widthMultiplier, sequenceHead, stem, pooling, epochs, batchSize, learningRate, warmupEpochs,
                    earlyStopPatience, lrPatience, lrFactor, minLearningRate, monitor, augmentation, labelSmoothing,
                    maxMinutes, stepsPerEpoch, valLimit, anneal, averageWeights, augmentOnceReading,
                    plateauFromStart, weightDecay, init, unlabelled, seed);
        }
    }
}
