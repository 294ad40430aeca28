package org.captchasolver.train;

import java.util.List;

/**
 * How many epochs a run can take: the epoch cap, and with a time budget as many as fit it at the
 * pace the epochs have run. The LR schedule is planned from these numbers, so a run's schedule is a
 * plan it logs and keeps on resume, not a clock it reads at every step.
 *
 * @param epochCap the most epochs the run may take
 * @param budgetSeconds the training time allowed; 0 for none
 */
record EpochBudget(int epochCap, double budgetSeconds) {

    static EpochBudget of(TrainConfig config) {
        return new EpochBudget(config.epochs(), config.maxMinutes() > 0 ? config.maxMinutes() * 60 : 0);
    }

    boolean timed() {
        return budgetSeconds > 0;
    }

    /**
     * The first plan, made after the first epoch from its time alone: at least one more epoch, at
     * most the cap. The first epoch is the slowest (it warms up the JIT and the kernels), so this
     * errs short; {@link #replanned} corrects it after every epoch until the anneal starts.
     */
    int planned(int epoch, double epochSeconds) {
        int fit = timed() ? (int) (budgetSeconds / Math.max(1e-3, epochSeconds)) : epochCap;
        return Math.max(epoch + 1, Math.min(epochCap, fit));
    }

    /**
     * The plan re-fitted to the epochs' measured pace: the epochs done and as many more as the time left holds at
     * {@link #pace}. A 15-minute colorful run planned 24 epochs from a 37-second first epoch, then ran 28 at ~32 s,
     * the last four at the LR floor (docs/accuracy.md, "annealing"). Without a budget the plan stays the cap.
     */
    int replanned(int epoch, List<EpochMetrics> history, double secondsSoFar) {
        if (!timed()) {
            return planned(epoch, 0);
        }
        int more = (int) (Math.max(0, budgetSeconds - secondsSoFar) / Math.max(1e-3, pace(history)));
        return Math.max(epoch + 1, Math.min(epochCap, epoch + more));
    }

    /** Epochs whose times make the pace: the recent ones, so that a slow start (or a slowdown) is soon outweighed. */
    static final int PACE_WINDOW = 3;

    /**
     * The median time of the last {@value #PACE_WINDOW} epochs after the first (the first's alone if there is no
     * other): the first warms up the JIT and kernels, and a median of recent epochs follows a host that speeds up
     * or slows down without one odd epoch swinging the plan.
     */
    static double pace(List<EpochMetrics> history) {
        List<EpochMetrics> paced = history.size() > 1 ? history.subList(Math.max(1, history.size() - PACE_WINDOW), history.size()) : history;
        double[] seconds = paced.stream().mapToDouble(EpochMetrics::seconds).sorted().toArray();
        if (seconds.length == 0) {
            return 1;
        }
        int mid = seconds.length / 2;
        return seconds.length % 2 == 1 ? seconds[mid] : (seconds[mid - 1] + seconds[mid]) / 2;
    }

    /**
     * How long the anneal lasts when patience runs out before it has ended: half the epochs run so far,
     * the shape of a budgeted plan (constant, then a cosine over the second half), within the epoch
     * cap and the time left (and, mid-cosine, within what the plan had left of it). Stopping instead
     * would keep weights from the noisy high-LR phase: a 60-minute colorful run stopped at epoch 30
     * read 97.55%, one whose anneal ran 98.25% (docs/accuracy.md, "patience and the anneal"); one stopped 8
     * epochs before its plan's end, at a quarter of the peak LR, 97.60%.
     */
    int finalAnnealEpochs(int epoch, double epochSeconds, double secondsSoFar, int planLeft) {
        int epochs = Math.min(Math.min(epoch / 2, epochCap - epoch), planLeft);
        if (timed()) {
            epochs = Math.min(epochs, (int) ((budgetSeconds - secondsSoFar) / Math.max(1e-3, epochSeconds)));
        }
        return epochs;
    }
}
