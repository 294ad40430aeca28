package org.captchasolver.train;

import java.io.PrintStream;
import java.util.List;

/**
 * What a run decides between epochs: which epoch is the best, when the LR is cut, how many epochs the
 * anneal is planned over, and when the run stops. It holds every counter a checkpoint saves, so a
 * resumed run decides as the interrupted one would have. {@link TrainingRun} trains and validates;
 * this class reads the numbers and never touches the network.
 */
final class TrainingSchedule {
    /** Validation character accuracy from which the model counts as reading (see {@link #patienceCounts}). */
    static final double READING = 0.5;
    /** A shorter anneal than this is no anneal: the run stops when patience runs out instead. */
    static final int MIN_FINAL_ANNEAL_EPOCHS = 2;

    private final TrainConfig config;
    private final int stepsPerEpoch;
    private final int valImages;
    private final int earlyStopPatience;
    private final int lrPatience;
    private final EpochBudget budget;
    private final LearningRate lr;
    private final Plateau early;
    private final Plateau lrPlateau;
    private final PrintStream log;
    private boolean reading;
    private boolean finalAnneal;
    /** The epochs of the plan last logged, so that small re-fits stay out of the log. */
    private int loggedPlan;
    private int bestEpoch;
    private double bestScore;

    /** A fresh run's schedule when {@code state} is null, else the interrupted run's, as checkpointed. */
    TrainingSchedule(TrainConfig config, int stepsPerEpoch, int valImages, TrainingState state, PrintStream log) {
        this.config = config;
        this.stepsPerEpoch = stepsPerEpoch;
        this.valImages = valImages;
        this.log = log;
        earlyStopPatience = config.earlyStopPatienceFor(stepsPerEpoch);
        lrPatience = config.lrPatienceFor(stepsPerEpoch);
        budget = EpochBudget.of(config);
        boolean resumed = state != null;
        lr = new LearningRate(resumed ? state.learningRate() : config.learningRateOrDefault(),
                config.warmupEpochs() * stepsPerEpoch, resumed ? state.step() : 0);
        if (resumed) {
            lr.plan(state.annealStart(), state.plannedSteps());
        }
        early = resumed
                ? new Plateau(config.monitorMaximises(), 1e-4, state.bestMonitored(), state.earlyStopBadEpochs())
                : new Plateau(config.monitorMaximises(), 1e-4);
        lrPlateau = resumed ? new Plateau(false, 1e-4, state.lrBest(), state.lrBadEpochs()) : new Plateau(false, 1e-4);
        finalAnneal = resumed && state.finalAnneal();
        bestEpoch = resumed ? state.bestEpoch() : 0;
        bestScore = bestEpoch > 0 ? keepScore(epoch(state.history(), bestEpoch)) : Double.NEGATIVE_INFINITY;
        reading = resumed && state.history().stream().anyMatch(h -> h.valCharAcc() >= READING);
    }

    LearningRate learningRate() {
        return lr;
    }

    boolean reading() {
        return reading || config.plateauFromStart();
    }

    int bestEpoch() {
        return bestEpoch;
    }

    int earlyStopPatience() {
        return earlyStopPatience;
    }

    /** The best value of the monitored metric so far. */
    double bestMonitored() {
        return early.best();
    }

    /**
     * Takes a validated epoch: counts it toward patience, cuts the LR when val_loss has stalled, and
     * says whether it is the best epoch so far (the one to save). The kept checkpoint follows
     * {@link #keepScore}; patience follows the monitored value alone.
     */
    boolean validated(EpochMetrics m) {
        early.update(config.monitorMaximises() ? m.valSeqAcc() : m.valLoss());
        double score = keepScore(m);
        boolean improved = score > bestScore;
        reading = reading || m.valCharAcc() >= READING;
        boolean counts = patienceCounts(config, reading);
        if (!counts) {
            early.resetCount();
        }
        if (improved) {
            bestScore = score;
            bestEpoch = m.epoch();
        }
        boolean lrImproved = lrPlateau.update(m.valLoss());
        if (!counts) {
            lrPlateau.resetCount();
        }
        if (!lrImproved && lrPlateau.badEpochs() >= lrPatience) {
            float reduced = Math.max(lr.base() * config.lrFactor(), config.minLearningRate());
            if (reduced < lr.base()) {
                log.printf("  val_loss has not improved for %d epochs: learning rate %.2e -> %.2e%n",
                        lrPlateau.badEpochs(), lr.base(), reduced);
                lr.setBase(reduced);
            }
            lrPlateau.resetCount();
        }
        return improved;
    }

    /**
     * After an epoch has been validated and logged: plans or re-fits the anneal, turns patience that has
     * run out into a final anneal where one fits, and returns why the run stops here, or null.
     *
     * @param seconds this epoch's time
     * @param total   the run's time so far, this epoch included
     */
    String afterEpoch(int epoch, double seconds, double total, List<EpochMetrics> history) {
        if (config.anneal() && lr.plannedSteps() == 0) {
            int planned = budget.planned(epoch, seconds);
            lr.plan(planned * stepsPerEpoch);
            loggedPlan = planned;
            log.printf("  plan: %d epochs%s; the LR anneals from epoch %d to %.0e%n", planned,
                    budget.timed() ? " fit the " + config.maxMinutes() + "-minute budget" : "",
                    planned / 2 + 1, lr.base() * LearningRate.FLOOR);
        } else if (config.anneal() && !finalAnneal && !lr.annealing()) {
            replan(epoch, total, history);
        }
        // A final anneal runs to its end: the gain comes as the LR falls, after a plateau.
        boolean stopEarly = !finalAnneal && early.badEpochs() >= earlyStopPatience;
        if (stopEarly && config.anneal() && lr.step() < lr.plannedSteps()) {
            boolean midCosine = lr.annealing();
            int planLeft = midCosine ? Math.max(1, (lr.plannedSteps() - lr.step()) / stepsPerEpoch) : Integer.MAX_VALUE;
            int epochs = budget.finalAnnealEpochs(epoch, seconds, total, planLeft);
            if (epochs >= (midCosine ? 1 : MIN_FINAL_ANNEAL_EPOCHS)) {
                if (midCosine) {
                    lr.setBase(lr.current()); // the new cosine falls from where the LR is, not from the peak
                }
                lr.plan(lr.step(), lr.step() + epochs * stepsPerEpoch);
                finalAnneal = true;
                stopEarly = false;
                log.printf("  %s has not improved for %d epochs: the LR anneals over the next %d epochs, then the run stops%n",
                        config.monitor(), earlyStopPatience, epochs);
            }
        }
        if (stopEarly) {
            return "early stop: " + config.monitor() + " did not improve for " + earlyStopPatience + " epochs";
        }
        if (finalAnneal && lr.step() >= lr.plannedSteps()) {
            return "early stop: " + config.monitor() + " stalled, then the LR annealed";
        }
        if (config.maxMinutes() > 0 && total + seconds > config.maxMinutes() * 60) {
            return "time budget of " + config.maxMinutes() + " minutes reached";
        }
        return null;
    }

    /**
     * Until the anneal has begun, the plan follows the pace the epochs actually run at: the time left at the
     * recent epochs' pace ({@link EpochBudget#pace}), annealing over the second half of the whole. A slow start (a
     * cold JIT, another job on the cores) would otherwise fix an anneal that begins while the model is still
     * learning fast; the anneal now begins only when the time left requires it, or when patience runs out. A plan
     * that shrinks past the current step starts the cosine here rather than part-way down it.
     */
    private void replan(int epoch, double total, List<EpochMetrics> history) {
        int planned = budget.replanned(epoch, history, total);
        if (planned * stepsPerEpoch == lr.plannedSteps()) {
            return;
        }
        int from = Math.max(LearningRate.secondHalf(planned * stepsPerEpoch), lr.step());
        lr.plan(from, planned * stepsPerEpoch);
        if (Math.abs(planned - loggedPlan) >= Math.max(2, loggedPlan / 10) || lr.annealStartsWithin(stepsPerEpoch)) {
            loggedPlan = planned;
            log.printf("  plan: %d epochs at the %.0f s an epoch now takes; the LR anneals from epoch %d%n",
                    planned, EpochBudget.pace(history), from / stepsPerEpoch + 1);
        }
    }

    /**
     * What a checkpoint saves after {@code epoch}, for {@link #TrainingSchedule} to resume from;
     * {@code stopReason} is null unless the run ends with this epoch.
     */
    TrainingState state(int epoch, double total, String stopReason, List<EpochMetrics> history) {
        return new TrainingState(epoch, lr.step(), lr.base(), early.best(), bestEpoch, early.badEpochs(),
                lrPlateau.badEpochs(), lrPlateau.best(), total, stopReason != null, history, lr.plannedSteps(), lr.annealFrom(),
                finalAnneal, stopReason);
    }

    /**
     * Whether an epoch counts toward early stopping and LR cuts. A CTC model first sits on a plateau
     * (emitting blanks) before it starts to read, and the seed's rules would cut the LR or stop right
     * there, so the recipe counts from the first epoch with half the characters right. The notebook's
     * recipe counts from the first epoch, as its Keras callbacks did.
     */
    static boolean patienceCounts(TrainConfig config, boolean reading) {
        return reading || config.plateauFromStart();
    }

    /** Which epoch is the best on validation: higher is better. */
    private double keepScore(EpochMetrics m) {
        return config.monitorMaximises() ? seqAccScore(m, valImages) : -m.valLoss();
    }

    /**
     * Sequence accuracy with ties broken by character accuracy and then validation loss: the bonus is
     * below one image's worth of accuracy, so it only orders epochs that read equally many. On small
     * validation sets accuracy saturates early (104 images: 100% at epoch 22 of wilhelmy_v2), and
     * without the loss the first, least confident 100% epoch would be kept (test 97.1%,
     * docs/accuracy.md). Without character accuracy a run that never reads a whole validation CAPTCHA
     * kept its lowest-loss epoch, an early one that read nothing at all, over a later one reading a
     * fifth of the characters. It picks the checkpoint only: patience counts from the last gain in
     * sequence accuracy, so time does not grow with ever smaller gains in loss.
     */
    static double seqAccScore(EpochMetrics m, int valImages) {
        double loss = Double.isFinite(m.valLoss()) ? m.valLoss() : Double.MAX_VALUE;
        double closeness = 0.9 * m.valCharAcc() + 0.1 / (1 + loss);
        return m.valSeqAcc() + closeness / (valImages + 1);
    }

    static EpochMetrics epoch(List<EpochMetrics> history, int epoch) {
        return history.stream().filter(h -> h.epoch() == epoch).findFirst().orElseThrow();
    }
}
