package org.captchasolver.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.captchasolver.augment.Augmentation;
import org.captchasolver.dataset.DatasetIndex;
import org.captchasolver.image.InputShape;
import org.captchasolver.model.Architecture;
import org.captchasolver.model.ModelSpec;
import org.captchasolver.train.InitialWeights;
import org.captchasolver.train.TrainConfig;
import org.captchasolver.train.TrainingRun;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "train", sortOptions = false,
        description = "Train a model on a folder of labelled images; the run folder becomes a model bundle.",
        footer = {"", "Examples:", "  captcha train -d captchas/ -o runs/mine",
            "  captcha train -d captchas/ --label-regex '^(.+)_\\d+$' --lowercase",
            "  captcha train -d few-labels/ --init base",
            "  captcha train -o runs/mine --resume"})
final class TrainCommand implements Callable<Integer> {
    /** Where the images come from: a folder to index, or the run being resumed. */
    static final class Source {
        @Option(names = {"-d", "--data"}, paramLabel = "DIR", order = 1,
                description = "Folder of labelled images, or an index folder.")
        Path data;

        @Option(names = "--resume", order = 3, description = "Continue the interrupted run in --out from its last completed epoch.")
        boolean resume;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1", order = 1)
    Source source = new Source();

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", order = 2, description = "Run folder (default: runs/<data folder name>).")
    Path out;

    @Mixin CaptchaCli.CommonOptions common = new CaptchaCli.CommonOptions();

    @Option(names = {"-h", "--help"}, usageHelp = true, order = 98, description = "Show this help message and exit.")
    boolean help;

    @Option(names = {"-V", "--version"}, versionHelp = true, order = 99, description = "Print version information and exit.")
    boolean version;

    @ArgGroup(validate = false, heading = "%nLabels and split (when --data is a folder of images):%n", order = 10)
    LabelOptions labels = new LabelOptions();

    /** The network. */
    static final class ModelOptions {
        @Option(names = "--init", paramLabel = "auto|base|none|RUN", description = "The starting weights: 'base' (the "
                + "recogniser pre-trained on generated CAPTCHAs that ships with captcha-core), a crnn run folder, 'none' (random), "
                + "or 'auto' (the default): base below 1,000 training images, random weights above. Fine-tuning takes the "
                + "network's layers, channels and height from the start and rebuilds the classifier for this data's alphabet.")
        String init;

        @Option(names = "--unlabelled", paramLabel = "DIR", description = "Also learn from these images without labels: "
                + "once the model reads, its confident readings of them are trained on as pseudo-labels, recomputed every "
                + "epoch and written to RUN/pseudo_labels.csv; images that have labels are left out.")
        Path unlabelled;

        @Option(names = "--arch", paramLabel = "ARCH", description = "Network: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
        Architecture arch = Architecture.CRNN;

        @Option(names = "--input", paramLabel = "CxHxW",
                description = "Network input, e.g. 3x48x256 (default for crnn: 48 high, 128-512 wide from the images' "
                        + "aspect and the longest label, printed at the start; seed-cnn: 3x100x200).")
        String input;

        @Option(names = "--width-multiplier", paramLabel = "W", description = "Scale the CRNN's channel counts (default: ${DEFAULT-VALUE}).")
        float widthMultiplier = 1f;

        @Option(names = "--head", paramLabel = "HEAD", description = "CRNN sequence head: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
        ModelSpec.SequenceHead head = ModelSpec.SequenceHead.LSTM;

        @Option(names = "--stem", paramLabel = "STEM", description = "How the CRNN first halves the image: ${COMPLETION-CANDIDATES} "
                + "(default: ${DEFAULT-VALUE}; strided trains ~15%% and solves ~25%% faster, and reads less accurately).")
        ModelSpec.Stem stem = ModelSpec.Stem.POOLED;
    }

    @ArgGroup(validate = false, heading = "%nModel:%n", order = 20)
    ModelOptions model = new ModelOptions();

    /** The two recipes a run starts from. */
    enum Recipe {
        DEFAULT, NOTEBOOK;

        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** What early stopping and the kept epoch follow. */
    enum Monitor { val_seq_acc, val_loss }

    /** How long and how the run trains. */
    static final class Schedule {
        @Option(names = "--recipe", paramLabel = "RECIPE", description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}). "
                + "notebook is the seed notebook's: 50 epochs, val_loss monitoring, patience 7 and LR x0.5 after 3 counted "
                + "from the first epoch, photometric augmentation, no warm-up, no time budget. The options below override either.")
        Recipe recipe = Recipe.DEFAULT;

        @Option(names = "--max-minutes", paramLabel = "MIN",
                description = "Stop after the epoch in which this much time has passed (0 = no limit; default: 15).")
        Double maxMinutes;

        @Option(names = "--epochs", paramLabel = "N",
                description = "Most epochs to train (default: 300; the time budget usually ends training first).")
        Integer epochs;

        @Option(names = "--batch-size", paramLabel = "N", description = "Images per step (default: ${DEFAULT-VALUE}).")
        int batchSize = 32;

        @Option(names = "--lr", paramLabel = "LR", description = "Adam learning rate (default: 0.002 for crnn, 0.005 for seed-cnn).")
        Float lr;

        @Option(names = "--patience", paramLabel = "EPOCHS", description = "Early stopping patience (default: 1000 steps' worth, "
                + "at least 10 epochs). Running out before the LR has annealed anneals it over half as many epochs as ran; "
                + "the run then stops and ships its last epoch.")
        Integer patience;

        @Option(names = "--monitor", paramLabel = "METRIC", description = "What early stopping and the kept epoch follow: "
                + "${COMPLETION-CANDIDATES} (default: val_seq_acc; a run that ends with its LR annealed keeps its last epoch).")
        Monitor monitor;

        @Option(names = "--weight-decay", paramLabel = "W",
                description = "AdamW's decoupled weight decay; 0 trains with Adam (default: ${DEFAULT-VALUE}).")
        float weightDecay = 0f;

        @Option(names = "--label-smoothing", paramLabel = "S", description = "Label smoothing for seed-cnn (default: ${DEFAULT-VALUE}).")
        float labelSmoothing = 0f;

        @Option(names = "--no-average", description = "Keep the last step's weights instead of their moving average.")
        boolean noAverage;

        @Option(names = "--steps-per-epoch", paramLabel = "N",
                description = "Steps per epoch, each epoch a fresh sample (0 = a full pass; default: ${DEFAULT-VALUE}).")
        int stepsPerEpoch = 0;

        @Option(names = "--val-limit", paramLabel = "N",
                description = "Validate each epoch on a fixed sample of this many images (0 = all; default: ${DEFAULT-VALUE}).")
        int valLimit = 0;

        @Option(names = "--augment-from-start", description = "Augment from the first epoch, not only once the model reads.")
        boolean augmentFromStart;
    }

    @ArgGroup(validate = false, heading = "%nSchedule:%n", order = 30)
    Schedule schedule = new Schedule();

    /** At most one way to change the augmentation. */
    static final class Augment {
        @Option(names = "--no-augment", description = "Train on the images as they are.")
        boolean none;

        @Option(names = "--no-affine", description = "Keep the photometric augmentation, drop rotation/shift/scale.")
        boolean noAffine;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1", heading = "%nAugmentation (one of):%n", order = 40)
    Augment augment = new Augment();

    @Override
    public Integer call() throws Exception {
        common.apply();
        org.captchasolver.network.Engines.requireNativeLibrary(); // before any work is done
        if (source.resume) {
            if (out == null) {
                throw new IllegalArgumentException("--resume needs --out with the run folder to continue");
            }
            TrainingRun.resume(out, System.out);
            return 0;
        }
        if (source.data == null) {
            throw new IllegalArgumentException("--data is required (a folder of labelled images or an index folder)");
        }
        Path dir = out != null ? out : Path.of("runs", Datasets.nameOf(source.data));
        TrainConfig config = config();
        TrainingRun.requireFresh(dir); // before indexing writes into the folder
        if (config.init() != null && !config.init().equals(InitialWeights.AUTO)) {
            InitialWeights.open(config.init()); // a missing or unusable starting network is named before any work
        }
        DatasetIndex index = Datasets.open(source.data, labels, dir.resolve("index"), System.out);
        TrainingRun.start(index, config, dir, System.out);
        return 0;
    }

    /** {@code --init} as the config takes it: auto only with the default recipe, none as null, a folder made absolute. */
    private String initFor(Recipe recipe) {
        String init = model.init == null ? (recipe == Recipe.NOTEBOOK ? InitialWeights.NONE : InitialWeights.AUTO) : model.init;
        return InitialWeights.configValue(init);
    }

    TrainConfig config() {
        TrainConfig.Builder b = schedule.recipe == Recipe.NOTEBOOK ? TrainConfig.notebook() : TrainConfig.builder();
        b.architecture(model.arch).input(model.input == null ? null : InputShape.parse(model.input))
                .widthMultiplier(model.widthMultiplier).sequenceHead(model.head).stem(model.stem)
                .batchSize(schedule.batchSize).learningRate(schedule.lr).labelSmoothing(schedule.labelSmoothing)
                .weightDecay(schedule.weightDecay).init(initFor(schedule.recipe))
                .unlabelled(model.unlabelled == null ? null : model.unlabelled.toAbsolutePath().toString()).stepsPerEpoch(schedule.stepsPerEpoch).valLimit(schedule.valLimit).seed(labels.seed);
        if (augment.none) {
            b.augmentation(Augmentation.NONE);
        } else if (augment.noAffine) {
            b.augmentation(Augmentation.DEFAULT.withoutAffine());
        }
        if (schedule.epochs != null) {
            b.epochs(schedule.epochs);
        }
        if (schedule.noAverage) {
            b.averageWeights(false);
        }
        if (schedule.augmentFromStart) {
            b.augmentOnceReading(false);
        }
        if (schedule.patience != null) {
            b.earlyStopPatience(schedule.patience);
        }
        if (schedule.monitor != null) {
            b.monitor(schedule.monitor.name());
        }
        if (schedule.maxMinutes != null) {
            b.maxMinutes(schedule.maxMinutes);
        }
        return b.build();
    }
}
