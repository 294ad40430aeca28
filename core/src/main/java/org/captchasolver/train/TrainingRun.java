package org.captchasolver.train;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import org.captchasolver.augment.Augmentation;
import org.captchasolver.common.AtomicFiles;
import org.captchasolver.common.CaptchaException;
import org.captchasolver.common.Json;
import org.captchasolver.common.Parallel;
import org.captchasolver.dataset.Batch;
import org.captchasolver.dataset.BatchStream;
import org.captchasolver.dataset.DatasetIndex;
import org.captchasolver.dataset.EntryView;
import org.captchasolver.dataset.IndexEntry;
import org.captchasolver.dataset.PixelBuffers;
import org.captchasolver.dataset.Split;
import org.captchasolver.eval.SequenceScores;
import org.captchasolver.image.InputShape;
import org.captchasolver.model.Architecture;
import org.captchasolver.model.ModelBundle;
import org.captchasolver.model.ModelManifest;
import org.captchasolver.model.ModelSpec;
import org.captchasolver.model.Prediction;
import org.captchasolver.network.CaptchaModel;
import org.captchasolver.network.Engines;
import org.captchasolver.network.Losses;
import org.captchasolver.network.NetworkInput;
import org.captchasolver.network.Networks;
import org.captchasolver.network.Weights;
import org.captchasolver.util.Memory;
import org.captchasolver.util.Progress;

/**
 * Trains one model into a run folder, which ends up as a model bundle. After every epoch: validation
 * metrics, the seed's callbacks (best checkpoint, LR reduction on plateau, early stopping, decided by
 * {@link TrainingSchedule}) and a resumable checkpoint, all written atomically.
 */
public final class TrainingRun {

    /**
     * What a finished run produced.
     *
     * @param bestEpoch the epoch that scored best on validation
     * @param keptEpoch the epoch whose weights the bundle holds (see {@link #keptEpoch})
     */
    public record Result(RunFolder folder, ModelManifest manifest, List<EpochMetrics> history, int bestEpoch,
                         int keptEpoch, String stopReason, double seconds) {}

    private static final int VALIDATION_BATCH = 64;
    /** A run whose LR has come down to this share of its start ends annealed (see {@link #keptEpoch}). */
    static final double SETTLED_LR = 0.05;

    private final DatasetIndex index;
    private TrainConfig config; // a fine-tuning run takes its network from the starting one (see execute)
    private final RunFolder run;
    private final PrintStream log;
    private final Replica replica; // null when this process trains alone

    private TrainingRun(DatasetIndex index, TrainConfig config, RunFolder run, PrintStream log, Replica replica) {
        this.index = index;
        this.config = config;
        this.run = run;
        this.log = log;
        this.replica = replica;
    }

    /** Refuses a folder that already holds a run, before anything is written into it. */
    public static void requireFresh(Path dir) {
        if (Files.exists(new RunFolder(dir).state()) || Files.exists(dir.resolve(ModelBundle.MANIFEST))) {
            throw new CaptchaException(dir + " already holds a training run: add --resume to continue it, or choose another --out");
        }
    }

    /** Starts a new run in an empty (or absent) folder. */
    public static Result start(DatasetIndex index, TrainConfig config, Path dir, PrintStream log) throws IOException {
        return start(index, config, dir, log, null);
    }

    /**
     * Starts a new run as one of several replicas training together ({@link Replica}); each has its own folder, and
     * replica 0's becomes the model.
     *
     * @param replica null to train alone
     * @throws IllegalArgumentException when the config has a time budget or unlabelled images (see {@link Replica})
     */
    public static Result start(DatasetIndex index, TrainConfig config, Path dir, PrintStream log, Replica replica)
            throws IOException {
        if (replica != null) {
            replica.check(config);
        }
        requireFresh(dir);
        RunFolder run = new RunFolder(dir);
        Files.createDirectories(dir);
        index.write(run.index());
        AtomicFiles.writeJson(run.config(), config);
        return new TrainingRun(index, config, run, log, replica).execute(null);
    }

    /** Continues an interrupted run from its last completed epoch. */
    public static Result resume(Path dir, PrintStream log) throws IOException {
        RunFolder run = new RunFolder(dir);
        if (!Files.isRegularFile(run.state())) {
            throw new CaptchaException(dir + " has no checkpoint to resume (" + run.state() + " is missing)");
        }
        TrainingState state = Json.read(run.state(), TrainingState.class);
        TrainConfig config = Json.read(run.config(), TrainConfig.class);
        DatasetIndex index = DatasetIndex.read(run.index());
        return new TrainingRun(index, config, run, log, null).execute(state);
    }

    /** Why the input is what it is, when the data chose it ({@link InputGeometry}); null when --input said. */
    private String inputWhy;

    private Result execute(TrainingState state) throws IOException {
        List<IndexEntry> train = index.entries(Split.TRAIN); // a view: a million entries stay compact
        List<IndexEntry> val = index.entries(Split.VAL);
        if (replica != null) {
            train = replica.shard(train);
        }
        if (train.isEmpty()) {
            throw new CaptchaException("the training split of " + index.root() + " is empty: use more images or change --split");
        }
        if (val.isEmpty()) {
            val = train.subList(0, Math.min(train.size(), 64)); // tiny sets: monitor on training images rather than nothing
            log.println("warning: no validation images; monitoring on training images");
        }
        if (config.valLimit() > 0 && val.size() > config.valLimit()) {
            val = EntryView.shuffled(val, new Random(config.seed()), config.valLimit()); // the same sample every epoch
        }
        Memory.releaseGarbage(); // before the native tensors: RSS then does not grow with the index read (docs/performance.md)
        int maxLength = index.maxLabelLength();
        InputShape shape = config.input();
        if (shape == null) {
            InputGeometry geometry = InputGeometry.choose(config.architecture(), train, maxLength);
            shape = geometry.shape();
            inputWhy = geometry.why();
            log.println(inputWhy);
        }
        ModelSpec spec = new ModelSpec(config.architecture(), shape, index.alphabet().chars(), maxLength, config.widthMultiplier(),
                config.sequenceHead(), config.stem(), config.pooling());
        InitialWeights init = null;
        if (state == null && InitialWeights.AUTO.equals(config.init())) {
            String chosen = InitialWeights.chooseAuto(config, train.size());
            log.println(chosen != null
                    ? String.format("%,d training images, fewer than %,d: starting from the base recogniser (--init none "
                            + "starts from random weights)", train.size(), InitialWeights.SMALL_SET)
                    : String.format("%,d training images: starting from random weights (the base recogniser is the start "
                            + "below %,d; --init base forces it)", train.size(), InitialWeights.SMALL_SET));
            config = config.toBuilder().init(chosen).build();
            AtomicFiles.writeJson(run.config(), config);
        }
        if (state == null && config.init() != null) {
            if (config.architecture() != Architecture.CRNN) {
                throw new CaptchaException("--init fine-tunes a crnn; drop --arch " + config.architecture().id());
            }
            init = InitialWeights.open(config.init());
            spec = init.adapt(config.input(), shape.width(), spec.alphabet(), maxLength);
            // The run's config describes the network it trains, so that --resume rebuilds it without the starting one.
            config = config.toBuilder().architecture(spec.architecture()).input(spec.input()).widthMultiplier(spec.widthMultiplier())
                    .sequenceHead(spec.sequenceHead()).stem(spec.stem()).pooling(spec.pooling()).build();
            AtomicFiles.writeJson(run.config(), config);
            shape = spec.input();
        }
        if (spec.architecture().usesCtc() && spec.sequenceLength() < 2 * maxLength + 1) {
            throw new CaptchaException("input width " + shape.width() + " gives " + spec.sequenceLength()
                    + " steps, too few for labels of " + maxLength + " characters: use --input with a width of at least "
                    + 4 * (2 * maxLength + 1) + " (e.g. " + shape.channels() + "x" + shape.height() + "x" + 4 * (2 * maxLength + 1) + ")");
        }
        Engine engine = Engines.pytorch();
        engine.setRandomSeed((int) config.seed());

        PseudoLabels pseudo = config.unlabelled() != null ? PseudoLabels.scan(Path.of(config.unlabelled()), index, log) : null;
        // With unlabelled images an epoch is as long as all the images together, whatever part has pseudo-labels yet.
        int epochImages = train.size() + (pseudo != null ? pseudo.poolSize() : 0);
        int stepsPerEpoch = (epochImages + config.batchSize() - 1) / config.batchSize();
        if (config.stepsPerEpoch() > 0) {
            stepsPerEpoch = Math.min(stepsPerEpoch, config.stepsPerEpoch());
        }
        int imagesPerEpoch = Math.min(epochImages, stepsPerEpoch * config.batchSize());
        boolean resumed = state != null;
        List<EpochMetrics> history = resumed ? new ArrayList<>(state.history()) : new ArrayList<>();
        TrainingSchedule schedule = new TrainingSchedule(config, stepsPerEpoch, val.size(), state, log);
        LearningRate lr = schedule.learningRate();
        double secondsBefore = resumed ? state.secondsSoFar() : 0;
        String stopReason = "finished " + config.epochs() + " epochs";
        // A finished run trains no further, however it ended; the bundle is written again from its
        // checkpoint, which completes it if the process died between the last checkpoint and the bundle.
        boolean ended = resumed && state.finished();
        int firstEpoch = ended ? config.epochs() + 1 : resumed ? state.epochsDone() + 1 : 1;
        if (ended) {
            stopReason = state.stopReason() != null ? state.stopReason() : "ended after " + state.epochsDone() + " epochs";
            log.printf("%s finished after %d epochs (%s): nothing left to train%n", run.dir(), state.epochsDone(), stopReason);
        } else if (resumed) {
            log.printf("Resuming %s at epoch %d (lr %.2e, best %s %.4f at epoch %d)%n", run.dir(), firstEpoch,
                    lr.base(), config.monitor(), schedule.bestMonitored(), schedule.bestEpoch());
        }

        Loss loss = Losses.forTraining(spec, config.labelSmoothing());
        long start = System.nanoTime();
        Files.createDirectories(run.checkpointDir()); // the epoch loop writes the average and the checkpoint into it
        ExecutorService pool = Parallel.pool("decode", Parallel.cores());
        PixelBuffers trainPixels = new PixelBuffers(config.batchSize(), shape);
        PixelBuffers valPixels = new PixelBuffers(VALIDATION_BATCH, shape);
        try (Model model = Model.newInstance("captcha", "PyTorch")) {
            Block block = Networks.build(spec);
            model.setBlock(block);
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(loss))) {
                trainer.initialize(Weights.inputShape(spec, config.batchSize()));
                CheckpointFiles saved = resumed ? run.savedCheckpoint(state.epochsDone()) : null;
                if (init != null) {
                    InitialWeights.Transfer t = init.copyInto(block, spec);
                    log.printf("Starting from %s: %d weight arrays copied, the classifier keeps %d of %d rows (the blank and "
                            + "the characters both alphabets have), %d start afresh%n", init.name(), t.copied(), t.sharedRows(),
                            spec.classes(), t.newRows());
                }
                if (replica != null) {
                    replica.adoptFirst(block);
                }
                WeightAverage average = startAverage(block, spec, saved, lr.step());
                if (resumed) {
                    Weights.readParamsInPlace(block, spec, saved.lastParams());
                }
                FusedAdam adam = optimizer(block, config, lr);
                if (resumed) {
                    resumeOptimizer(adam, saved);
                }
                log.printf("Training %s (%.1f MFLOP/image) on %d images, validating on %d; %d steps/epoch, batch %d, lr %.1e, "
                                + "patience %d epochs, %s%n",
                        spec.architecture().id(), Networks.forwardFlops(spec) / 1e6, train.size(), val.size(),
                        stepsPerEpoch, config.batchSize(), lr.base(), schedule.earlyStopPatience(),
                        config.maxMinutes() > 0 ? "budget " + config.maxMinutes() + " min" : "no time budget");
                for (int epoch = firstEpoch; epoch <= config.epochs(); epoch++) {
                    long t0 = System.nanoTime();
                    Random shuffle = new Random(config.seed() * 7919 + epoch);
                    List<IndexEntry> order = pseudo != null ? pseudo.epochOrder(train, shuffle, imagesPerEpoch)
                            : EntryView.shuffled(train, shuffle, imagesPerEpoch);
                    BatchStream stream = new BatchStream(order, index::pathOf, index.alphabet(), maxLength, shape,
                            augmentationFor(config, schedule.reading()), config.batchSize(), config.seed() * 31 + epoch, pool,
                            trainPixels);
                    double lossSum = 0;
                    long seen = 0;
                    long skipped = 0;
                    SequenceScores read = new SequenceScores();
                    try (Progress bar = Progress.bar(String.format("epoch %d/%d", epoch, config.epochs()), imagesPerEpoch, "img")) {
                        for (Batch batch : stream) {
                            skipped += batch.skipped();
                            if (batch.size() == 0) {
                                continue;
                            }
                            float batchLoss = TrainStep.run(trainer, loss, adam, spec, batch, null, read);
                            lr.advance();
                            if (average != null) {
                                average.update();
                            }
                            if (replica != null && lr.step() % replica.syncEvery() == 0) {
                                replica.average(block);
                            }
                            if (!Float.isFinite(batchLoss)) {
                                throw new CaptchaException("the loss became " + batchLoss + " in epoch " + epoch
                                        + ": lower the learning rate (--lr, now " + lr.current() + ")");
                            }
                            lossSum += batchLoss * batch.size();
                            seen += batch.size();
                            bar.step(batch.size() + batch.skipped());
                            bar.message(String.format("loss %.4f", lossSum / seen));
                        }
                    }
                    double trainSeconds = (System.nanoTime() - t0) / 1e9;
                    if (replica != null) {
                        syncReplicas(block, average, lr);
                    }
                    if (average != null) {
                        average.swap(); // until the swap back, the block holds the averaged weights
                    }
                    Validation v = validate(trainer, loss, spec, val, maxLength, pool, valPixels);
                    // 3-8 ms an epoch; the epoch's RSS below is then what the run holds, not allocator slack.
                    Memory.releaseFreeNativePages();
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    EpochMetrics m = new EpochMetrics(epoch, lossSum / Math.max(1, seen), v.loss, v.scores.sequenceAccuracy(),
                            v.scores.charAccuracy(), v.scores.characterErrorRate(), v.scores.positionAccuracy(), lr.current(),
                            seconds, seen / trainSeconds, stream.waitNanos() / 1e9 / trainSeconds, skipped, Memory.rssMb(),
                            read.sequenceAccuracy(), read.charAccuracy());
                    history.add(m);
                    boolean improved = schedule.validated(m);
                    if (improved) {
                        Weights.save(run.dir(), manifest(spec, history, m.epoch(), m.epoch(), secondsBefore + elapsed(start)), block);
                    }
                    if (pseudo != null && schedule.reading()) { // read with the validated (averaged) weights
                        pseudo.relabel(trainer, spec, index, pool, valPixels, epoch, run.dir().resolve(PseudoLabels.CSV));
                        log.printf("  pseudo-labels for the next epoch: %d of %d unlabelled images (confidence >= %.2f)%n",
                                pseudo.accepted().size(), pseudo.poolSize(), PseudoLabels.THRESHOLD);
                    }
                    if (average != null) {
                        Weights.writeParams(block, run.checkpoint(epoch).averageParams());
                        average.swap();
                    }
                    writeLogs(history, schedule.bestEpoch());
                    log.printf("epoch %d/%d  loss %.4f  seq_acc %.2f%%  val_loss %.4f  val_seq_acc %.2f%%  val_char_acc %.2f%%  "
                                    + "lr %.1e  %.0f img/s  data-wait %.0f%%  %.0f s  rss %d MB%s%n",
                            epoch, config.epochs(), m.loss(), 100 * m.trainSeqAcc(), m.valLoss(), 100 * m.valSeqAcc(), 100 * m.valCharAcc(),
                            m.learningRate(), m.imagesPerSecond(), 100 * m.dataWaitFraction(), seconds, m.rssMb(),
                            improved ? "  * best" : "");
                    if (skipped > 0) {
                        log.printf("  %d unreadable images skipped this epoch%n", skipped);
                    }
                    double total = secondsBefore + elapsed(start);
                    String stop = schedule.afterEpoch(epoch, seconds, total, history);
                    if (stop != null) {
                        stopReason = stop;
                    }
                    boolean last = stop != null || epoch == config.epochs();
                    checkpoint(block, adam, schedule.state(epoch, total, last ? stopReason : null, history));
                    if (stop != null) {
                        break;
                    }
                }
                int bestEpoch = schedule.bestEpoch();
                if (bestEpoch == 0) {
                    throw new CaptchaException("no epoch produced a usable model");
                }
                int kept = keptEpoch(config, history, bestEpoch);
                ModelManifest manifest = manifest(spec, history, kept, bestEpoch, secondsBefore + elapsed(start));
                if (kept == bestEpoch) { // the bundle already holds its weights; the manifest gets the whole history
                    AtomicFiles.writeJson(run.dir().resolve(ModelBundle.MANIFEST), manifest);
                } else {
                    if (config.averageWeights()) { // else the block holds the last step's weights, which the last epoch validated
                        int lastEpoch = history.get(history.size() - 1).epoch();
                        Weights.readParamsInPlace(block, spec, run.savedCheckpoint(lastEpoch).averageParams());
                    }
                    Weights.save(run.dir(), manifest, block);
                }
                log.printf("Done (%s). %s Model: %s%n", stopReason, keptSummary(history, kept, bestEpoch), run.dir());
                return new Result(run, manifest, history, bestEpoch, kept, stopReason, secondsBefore + elapsed(start));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * At an epoch's end every replica validates the same weights: the last step's (unless that step just synchronised)
     * and the weight average's are replaced by the replicas' means.
     */
    private void syncReplicas(Block block, WeightAverage average, LearningRate lr) throws IOException {
        if (lr.step() % replica.syncEvery() != 0) {
            replica.average(block);
        }
        if (average != null) {
            average.swap();
            replica.average(block);
            average.swap();
        }
    }

    /**
     * The epoch whose weights the bundle ships: the last one if the run ended with its LR annealed (to
     * {@link #SETTLED_LR} of its start or below), else the best on validation. Once the LR has come down,
     * the best validation epoch is the luckiest of many that read within a few images of each other, and
     * the luck does not carry over to the test images: an epoch from the full-LR phase that read four
     * validation images more than the annealed end read eleven test images fewer (colorful seed 44:
     * 98.20% against 98.75%). Over 20 finished runs the annealed end read 49 test images more in all, 51
     * of them on 11 colorful runs, none of which it read worse (docs/accuracy.md, "shipped epoch"). A run without an anneal (the notebook's recipe), or stopped before its
     * LR came down, keeps its best epoch, as the seed's early stopping did.
     */
    static int keptEpoch(TrainConfig config, List<EpochMetrics> history, int bestEpoch) {
        EpochMetrics end = history.get(history.size() - 1);
        boolean annealed = config.anneal() && end.learningRate() <= SETTLED_LR * config.learningRateOrDefault();
        return annealed ? end.epoch() : bestEpoch;
    }

    private static String keptSummary(List<EpochMetrics> history, int kept, int bestEpoch) {
        EpochMetrics k = TrainingSchedule.epoch(history, kept);
        String scores = String.format("val_seq_acc %.2f%%, val_loss %.4f", 100 * k.valSeqAcc(), k.valLoss());
        if (kept == bestEpoch) {
            return String.format("Kept epoch %d, the best on validation: %s.", kept, scores);
        }
        return String.format("Kept epoch %d, the annealed end: %s (best on validation: epoch %d, %.2f%%).", kept, scores,
                bestEpoch, 100 * TrainingSchedule.epoch(history, bestEpoch).valSeqAcc());
    }

    private static double elapsed(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private static NDList labels(NDManager scope, Batch batch, int maxLength) {
        return Losses.labels(scope, batch.classes(), batch.lengths(), maxLength);
    }

    private record Validation(double loss, SequenceScores scores) {}

    private Validation validate(Trainer trainer, Loss loss, ModelSpec spec, List<IndexEntry> val, int maxLength,
                                ExecutorService pool, PixelBuffers pixels) {
        BatchStream stream = new BatchStream(val, index::pathOf, index.alphabet(), maxLength, spec.input(),
                Augmentation.NONE, VALIDATION_BATCH, 0, pool, pixels);
        SequenceScores scores = new SequenceScores();
        double lossSum = 0;
        long n = 0;
        for (Batch batch : stream) {
            if (batch.size() == 0) {
                continue;
            }
            try (NDManager scope = trainer.getManager().newSubManager()) {
                NDArray x = NetworkInput.of(scope, spec, batch.pixels(), batch.size());
                NDList pred = trainer.evaluate(new NDList(x));
                lossSum += loss.evaluate(labels(scope, batch, maxLength), pred).getFloat() * batch.size();
                n += batch.size();
                List<Prediction> predictions = CaptchaModel.decode(spec, pred.singletonOrThrow().softmax(2));
                for (int i = 0; i < batch.size(); i++) {
                    scores.add(batch.entries().get(i).label(), predictions.get(i).text());
                }
            }
        }
        return new Validation(n == 0 ? Double.NaN : lossSum / n, scores);
    }

    /**
     * Augmentation waits until the model reads (half the validation characters right): before that it
     * only hides the alignment CTC has to find. With it from the start, tjsp seed 43 never learnt to
     * put a blank between doubled letters (76% test); with it held back until reading, it read them
     * (docs/accuracy.md, "augmentation waits").
     */
    static Augmentation augmentationFor(TrainConfig config, boolean reading) {
        return reading || !config.augmentOnceReading() ? config.augmentation() : Augmentation.NONE;
    }

    /**
     * Adam, or AdamW when a weight decay is set: decoupled decay shrinks every weight by lr x decay
     * each step, independently of the gradient's scale (coupled L2 in Adam is divided away by the
     * second-moment estimate). Either clips gradients element-wise at 5: CTC's first steps can be steep.
     */
    static FusedAdam optimizer(Block block, TrainConfig config, LearningRate lr) {
        return new FusedAdam(block, lr, 5f, config.weightDecay());
    }

    /**
     * The weight average, if the config asks for one. On resume it restarts from the saved average
     * (a checkpoint from before averaging existed has none: it starts from the last weights).
     */
    private WeightAverage startAverage(Block block, ModelSpec spec, CheckpointFiles saved, long steps) throws IOException {
        if (!config.averageWeights()) {
            return null;
        }
        if (saved != null) {
            Path average = saved.averageParams();
            Weights.readParamsInPlace(block, spec, Files.isRegularFile(average) ? average : saved.lastParams());
        }
        return new WeightAverage(block, steps);
    }

    /**
     * The state is written last: it names the epoch whose folder holds the weights and Adam's moments.
     * Until then the previous epoch's folder is the checkpoint; after it, that folder is deleted.
     */
    private void checkpoint(Block block, FusedAdam adam, TrainingState state) throws IOException {
        CheckpointFiles files = run.checkpoint(state.epochsDone());
        Weights.writeParams(block, files.lastParams());
        adam.writeState(files.adamState());
        AtomicFiles.writeJson(run.state(), state);
        try {
            CheckpointFiles.deleteAllBut(run.checkpointDir(), files);
        } catch (IOException e) { // the checkpoint is complete; an old one left over only takes space
            log.printf("warning: could not delete old checkpoints in %s (%s); delete them by hand%n", run.checkpointDir(), e);
        }
    }

    /** Checkpoints written before Adam's state was saved resume with fresh moments, as they did then. */
    private void resumeOptimizer(FusedAdam adam, CheckpointFiles saved) throws IOException {
        if (Files.isRegularFile(saved.adamState())) {
            adam.readState(saved.adamState());
        } else {
            log.printf("warning: %s has no optimizer state (written by an older version): Adam's moments restart, "
                    + "and the first steps of the resumed epoch may set training back%n", saved.dir());
        }
    }

    private void writeLogs(List<EpochMetrics> history, int bestEpoch) throws IOException {
        List<Map<String, Object>> losses = new ArrayList<>();
        for (EpochMetrics m : history) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("epoch", m.epoch());
            row.put("loss", m.loss());
            row.put("val_loss", m.valLoss());
            losses.add(row);
        }
        AtomicFiles.writeJson(run.lossMetrics(), losses);
        AtomicFiles.writeJson(run.allMetrics(), history);
        history.stream().filter(m -> m.epoch() == bestEpoch).findFirst()
                .ifPresent(best -> AtomicFiles.writeJsonUnchecked(run.bestMetrics(), best));
    }

    /** The bundle's manifest; its metrics are those of the kept epoch, whose weights the bundle holds. */
    private ModelManifest manifest(ModelSpec spec, List<EpochMetrics> history, int keptEpoch, int bestEpoch, double seconds) {
        EpochMetrics kept = TrainingSchedule.epoch(history, keptEpoch);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("val_loss", kept.valLoss());
        metrics.put("val_seq_acc", kept.valSeqAcc());
        metrics.put("val_char_acc", kept.valCharAcc());
        metrics.put("val_cer", kept.valCer());
        metrics.put("train_loss", kept.loss());
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("dataRoot", index.root().toString());
        training.put("index", "index");
        training.put("fingerprint", index.summary().fingerprint());
        training.put("splitSizes", index.summary().splitSizes());
        training.put("epochs", history.size());
        training.put("bestEpoch", bestEpoch);
        training.put("keptEpoch", keptEpoch);
        training.put("seconds", seconds);
        if (inputWhy != null) {
            training.put("input", inputWhy);
        }
        if (config.init() != null) {
            training.put("init", config.init());
        }
        if (config.unlabelled() != null) {
            training.put("unlabelled", config.unlabelled());
        }
        training.put("config", config);
        return new ModelManifest(ModelManifest.FORMAT_VERSION, org.captchasolver.common.Version.producer(), run.dir().getFileName().toString(), spec,
                index.summary().labelRules(), training, metrics, Instant.now().toString());
    }
}
