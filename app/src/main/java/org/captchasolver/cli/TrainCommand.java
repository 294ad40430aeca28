package org.captchasolver.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.captchasolver.dataset.DatasetIndex;
import org.captchasolver.image.Augmentation;
import org.captchasolver.image.InputShape;
import org.captchasolver.model.Architecture;
import org.captchasolver.train.TrainConfig;
import org.captchasolver.train.TrainingRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a model on a folder of labelled images; the run folder becomes a model bundle.")
final class TrainCommand implements Callable<Integer> {
    @Mixin CaptchaCli.CommonOptions common = new CaptchaCli.CommonOptions();
    @Mixin LabelOptions labels = new LabelOptions();

    @Option(names = {"-d", "--data"}, paramLabel = "DIR", description = "Folder of images, or an index folder (not needed with --resume).")
    Path data;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", description = "Run folder (default: runs/<data folder name>).")
    Path out;

    @Option(names = "--resume", description = "Continue the interrupted run in --out from its last completed epoch.")
    boolean resume;

    @Option(names = "--arch", description = "crnn (default) or seed-cnn.")
    String arch = "crnn";

    @Option(names = "--recipe", description = "default (docs/accuracy.md) or notebook (the seed notebook's settings: 50 epochs, "
            + "val_loss monitoring, patience 7 and LR x0.5 after 3 counted from the first epoch, photometric augmentation, no warm-up, "
            + "no time budget); the options below override either.")
    String recipe = "default";

    @Option(names = "--epochs", description = "Most epochs to train (default: 300; the time budget usually ends training first).")
    Integer epochs;

    @Option(names = "--batch-size", description = "Images per step (default: ${DEFAULT-VALUE}).")
    int batchSize = 32;

    @Option(names = "--lr", description = "Adam learning rate (default: 0.002 for crnn, 0.005 for seed-cnn).")
    Float lr;

    @Option(names = "--input", paramLabel = "CxHxW", description = "Network input, e.g. 3x32x128 (default: 3x48x128 for crnn, 3x100x200 for seed-cnn).")
    String input;

    @Option(names = "--width-multiplier", description = "Scale the CRNN's channel counts (default: ${DEFAULT-VALUE}).")
    float widthMultiplier = 1f;

    @Option(names = "--head", description = "CRNN sequence head: lstm (default) or conv.")
    String head = "lstm";

    @Option(names = "--stem", description = "How the CRNN first halves the image: pooled (convolution, then max pooling; default) or strided (a stride-2 convolution: ~15%% faster training, ~25%% faster solving, less accurate).")
    String stem = "pooled";

    @Option(names = "--patience", description = "Early stopping patience in epochs (default: 1000 steps' worth, at least 10 epochs). "
            + "Running out before the LR has annealed anneals it, from where it is, over half as many epochs as ran "
            + "(at most what the plan had left); the run stops after it and ships its last epoch, as every run ending with its LR annealed does.")
    Integer patience;

    @Option(names = "--monitor", description = "val_seq_acc (default) or val_loss: what early stopping and the best checkpoint follow "
            + "(kept unless the run ends with its LR annealed: then its last epoch is).")
    String monitor;

    @Option(names = "--no-augment", description = "Train on the images as they are.")
    boolean noAugment;

    @Option(names = "--no-affine", description = "Keep the photometric augmentation, drop rotation/shift/scale.")
    boolean noAffine;

    @Option(names = "--augment-from-start", description = "Augment from the first epoch, not only once the model reads.")
    boolean augmentFromStart;

    @Option(names = "--no-average", description = "Keep the last step's weights instead of their moving average.")
    boolean noAverage;

    @Option(names = "--label-smoothing", description = "Label smoothing for seed-cnn (default: ${DEFAULT-VALUE}).")
    float labelSmoothing = 0f;

    @Option(names = "--weight-decay", description = "AdamW's decoupled weight decay; 0 trains with Adam (default: ${DEFAULT-VALUE}).")
    float weightDecay = 0f;

    @Option(names = "--max-minutes", description = "Stop after the epoch in which this much time has passed (0 = no limit; default: 15).")
    Double maxMinutes;

    @Option(names = "--steps-per-epoch", description = "Steps per epoch, each epoch a fresh sample (0 = a full pass; default: ${DEFAULT-VALUE}).")
    int stepsPerEpoch = 0;

    @Option(names = "--val-limit", description = "Validate each epoch on a fixed sample of this many images (0 = all; default: ${DEFAULT-VALUE}).")
    int valLimit = 0;

    @Override
    public Integer call() throws Exception {
        common.apply();
        if (resume) {
            if (out == null) {
                throw new IllegalArgumentException("--resume needs --out with the run folder to continue");
            }
            TrainingRun.resume(out, System.out);
            return 0;
        }
        if (data == null) {
            throw new IllegalArgumentException("--data is required (a folder of labelled images or an index folder)");
        }
        Path dir = out != null ? out : Path.of("runs", Datasets.nameOf(data));
        TrainConfig config = config();
        TrainingRun.requireFresh(dir); // before indexing writes into the folder
        DatasetIndex index = Datasets.open(data, labels, dir.resolve("index"), System.out);
        TrainingRun.start(index, config, dir, System.out);
        return 0;
    }

    TrainConfig config() {
        TrainConfig.Builder b = switch (recipe) {
            case "default" -> TrainConfig.builder();
            case "notebook" -> TrainConfig.notebook();
            default -> throw new IllegalArgumentException("--recipe must be default or notebook, got '" + recipe + "'");
        };
        b.architecture(Architecture.parse(arch)).input(input == null ? null : InputShape.parse(input)).widthMultiplier(widthMultiplier)
                .sequenceHead(choice("--head", head, org.captchasolver.model.ModelSpec.SequenceHead.class))
                .stem(choice("--stem", stem, org.captchasolver.model.ModelSpec.Stem.class))
                .batchSize(batchSize).learningRate(lr).labelSmoothing(labelSmoothing)
                .weightDecay(weightDecay).stepsPerEpoch(stepsPerEpoch).valLimit(valLimit).seed(labels.seed);
        if (noAugment) {
            b.augmentation(Augmentation.NONE);
        } else if (noAffine) {
            b.augmentation(Augmentation.DEFAULT.withoutAffine());
        }
        if (epochs != null) {
            b.epochs(epochs);
        }
        if (noAverage) {
            b.averageWeights(false);
        }
        if (augmentFromStart) {
            b.augmentOnceReading(false);
        }
        if (patience != null) {
            b.earlyStopPatience(patience);
        }
        if (monitor != null) {
            b.monitor(monitor);
        }
        if (maxMinutes != null) {
            b.maxMinutes(maxMinutes);
        }
        return b.build();
    }

    /** An option naming one of an enum's constants, case-insensitively, with an error that lists them. */
    static <E extends Enum<E>> E choice(String option, String value, Class<E> type) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(value.trim())) {
                return e;
            }
        }
        String names = java.util.Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(java.util.Locale.ROOT))
                .collect(java.util.stream.Collectors.joining(" or "));
        throw new IllegalArgumentException(option + " must be " + names + ", got '" + value + "'");
    }
}
