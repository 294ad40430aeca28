package org.captchasolver.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.captchasolver.model.Architecture;
import org.junit.jupiter.api.Test;

/**
 * The between-epoch decisions on a given series of validation results: the LR cuts and early stopping
 * of the seed's Keras callbacks for the notebook's recipe, the wait for a reading model in the default
 * one, and a resumed schedule deciding as the uninterrupted one.
 */
class TrainingScheduleTest {
    private static final int STEPS = 23;
    private static final int VAL_IMAGES = 104;
    /** val_loss of a run that never reads: best at epoch 4, then seven epochs without a gain. */
    private static final double[] STALLING = {33.99, 15.14, 15.17, 15.05, 15.30, 15.40, 15.50, 15.20, 15.10, 15.06, 15.08};

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final PrintStream log = new PrintStream(out, true, StandardCharsets.UTF_8);

    @Test
    void theNotebookRecipeHalvesTheLrAfterThreeEpochsWithoutGainAndStopsAfterSevenAsKerasDid() {
        TrainConfig notebook = TrainConfig.notebook().architecture(Architecture.SEED_CNN).build();
        Run run = new Run(notebook, null);
        List<String> stops = run.epochs(STALLING, 0.1);
        assertThat(run.lrs).containsExactly(5e-3f, 5e-3f, 5e-3f, 5e-3f, 5e-3f, 5e-3f, 2.5e-3f, 2.5e-3f, 2.5e-3f, 1.25e-3f, 1.25e-3f);
        assertThat(stops.subList(0, 10)).containsOnlyNulls();
        assertThat(stops.get(10)).isEqualTo("early stop: val_loss did not improve for 7 epochs");
        assertThat(run.schedule.bestEpoch()).isEqualTo(4);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("learning rate 5.00e-03 -> 2.50e-03");
    }

    @Test
    void theDefaultRecipeCountsNeitherRuleUntilTheModelReadsHalfTheCharacters() {
        TrainConfig config = TrainConfig.builder().monitor("val_loss").earlyStopPatience(7).lrPatience(3).maxMinutes(0).anneal(false)
                .learningRate(5e-3f).build();
        Run run = new Run(config, null);
        assertThat(run.epochs(STALLING, 0.1)).containsOnlyNulls();
        assertThat(run.lrs).containsOnly(5e-3f);
        // Reading from epoch 12 on, with val_loss still above epoch 4's: three more epochs cut the LR.
        assertThat(run.epochs(new double[] {15.2, 15.3, 15.4}, 0.6)).containsOnlyNulls();
        assertThat(run.lrs.subList(11, 14)).containsExactly(5e-3f, 5e-3f, 2.5e-3f);
    }

    @Test
    void aScheduleResumedFromItsCheckpointDecidesAsTheUninterruptedOne() {
        TrainConfig notebook = TrainConfig.notebook().architecture(Architecture.SEED_CNN).build();
        Run whole = new Run(notebook, null);
        List<String> wholeStops = whole.epochs(STALLING, 0.1);

        Run first = new Run(notebook, null);
        first.epochs(Arrays.copyOf(STALLING, 8), 0.1);
        TrainingState saved = first.schedule.state(8, 80, null, first.history);
        Run resumed = new Run(notebook, saved);
        List<String> resumedStops = resumed.epochs(Arrays.copyOfRange(STALLING, 8, STALLING.length), 0.1);

        assertThat(resumed.lrs).isEqualTo(whole.lrs.subList(8, 11));
        assertThat(resumedStops).isEqualTo(wholeStops.subList(8, 11));
        assertThat(resumed.schedule.bestEpoch()).isEqualTo(4);
    }

    /**
     * Two epochs slowed to 60 s (another job on the cores), then 10 s ones, in a 15-minute budget: the first plan
     * (15 epochs, annealing from epoch 8) is re-fitted as the pace recovers, and the anneal starts only in the
     * second half of what the budget really holds.
     */
    @Test
    void aSlowStartIsOutgrownAndTheAnnealWaitsForTheTimeLeftToRequireIt() {
        TrainConfig config = TrainConfig.builder().epochs(300).maxMinutes(15).learningRate(2e-3f).warmupEpochs(0).build();
        TrainingSchedule schedule = new TrainingSchedule(config, STEPS, VAL_IMAGES, null, log);
        List<EpochMetrics> history = new ArrayList<>();
        double total = 0;
        int annealFrom = -1;
        String stop = null;
        for (int epoch = 1; stop == null; epoch++) {
            double seconds = epoch <= 2 ? 60 : 10;
            for (int i = 0; i < STEPS; i++) {
                schedule.learningRate().advance();
            }
            if (annealFrom < 0 && schedule.learningRate().current() < 2e-3f) {
                annealFrom = epoch;
            }
            total += seconds;
            double improving = 0.5 + epoch / 1000.0; // still learning: neither patience nor the LR cut comes into play
            EpochMetrics m = new EpochMetrics(epoch, 0.1, 1 - improving, improving, 0.9, 0.1, List.of(), schedule.learningRate().current(),
                    seconds, 70, 0, 0, 500);
            history.add(m);
            schedule.validated(m);
            stop = schedule.afterEpoch(epoch, seconds, total, history);
            if (epoch == 1) {
                assertThat(schedule.learningRate().plannedSteps()).as("the first plan, from a 60 s epoch").isEqualTo(15 * STEPS);
            }
        }
        // 120 s slow, then 78 epochs of 10 s fill the 900 s: 80 epochs, the anneal over the second half.
        assertThat(history).hasSizeBetween(78, 80);
        assertThat(annealFrom).as("the anneal began in the second half of the run, not at epoch 8").isBetween(40, 42);
        assertThat(total).isLessThanOrEqualTo(900);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("plan: 15 epochs fit the 15.0-minute budget")
                .contains("epochs at the 10 s an epoch now takes");
    }

    /** Feeds a schedule epochs as the training loop does: steps, validation, then the end-of-epoch decision. */
    private final class Run {
        final TrainingSchedule schedule;
        final List<EpochMetrics> history;
        /** The base LR each epoch ended with. */
        final List<Float> lrs = new ArrayList<>();

        Run(TrainConfig config, TrainingState state) {
            schedule = new TrainingSchedule(config, STEPS, VAL_IMAGES, state, log);
            history = state == null ? new ArrayList<>() : new ArrayList<>(state.history());
        }

        List<String> epochs(double[] valLosses, double charAcc) {
            List<String> stops = new ArrayList<>();
            for (double valLoss : valLosses) {
                int epoch = history.size() + 1;
                for (int i = 0; i < STEPS; i++) {
                    schedule.learningRate().advance();
                }
                EpochMetrics m = new EpochMetrics(epoch, valLoss, valLoss, 0, charAcc, 1 - charAcc, List.of(),
                        schedule.learningRate().current(), 10, 70, 0, 0, 500);
                history.add(m);
                schedule.validated(m);
                lrs.add(schedule.learningRate().base());
                stops.add(schedule.afterEpoch(epoch, 10, 10.0 * epoch, history));
            }
            return stops;
        }
    }
}
