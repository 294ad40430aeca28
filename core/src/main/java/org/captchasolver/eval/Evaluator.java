package org.captchasolver.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import org.captchasolver.augment.Augmentation;
import org.captchasolver.common.Parallel;
import org.captchasolver.dataset.Batch;
import org.captchasolver.dataset.BatchStream;
import org.captchasolver.dataset.DatasetIndex;
import org.captchasolver.dataset.IndexEntry;
import org.captchasolver.model.Alphabet;
import org.captchasolver.model.ModelSpec;
import org.captchasolver.model.Prediction;
import org.captchasolver.network.CaptchaModel;
import org.captchasolver.network.ScoringModel;
import org.captchasolver.util.Csv;
import org.captchasolver.util.Progress;

/**
 * Runs a model over a list of indexed images once, streaming: each batch updates the scores, the
 * confusion counts, the score curves and the calibration bins, and its rows go to
 * {@code predictions.csv}; only a dozen sample images are kept for the figures.
 */
public final class Evaluator {
    private static final int BATCH = 64;
    private static final int WRONG_SAMPLES = 12;
    private static final int RIGHT_SAMPLES = 8;

    private final ScoringModel model;

    public Evaluator(ScoringModel model) {
        this.model = model;
    }

    /**
     * @param valLoss the validation loss to report beside this set's loss, or null
     */
    public Evaluation evaluate(DatasetIndex index, List<IndexEntry> entries, String split, Path predictionsCsv, Double valLoss)
            throws IOException {
        ModelSpec spec = model.spec();
        Alphabet alphabet = spec.alphabetObject();
        SequenceScores scores = new SequenceScores();
        Confusion confusion = new Confusion(spec.classes());
        ScoreCurves curves = new ScoreCurves();
        Calibration calibration = new Calibration();
        Map<Integer, Long> errorCounts = new TreeMap<>();
        List<SampleResult> wrong = new ArrayList<>();
        List<SampleResult> right = new ArrayList<>();
        double[] lossSum = {0};
        long[] lossCount = {0};
        long[] outside = {0};
        long[] unreadable = {0};
        long start = System.nanoTime();
        ExecutorService pool = Parallel.pool("eval-decode", Parallel.cores());
        try (Progress bar = Progress.bar("evaluate", entries.size(), "img")) {
            BatchStream stream = new BatchStream(entries, index::pathOf, alphabet, spec.maxLength(), spec.input(),
                    Augmentation.NONE, BATCH, 0, pool);
            Csv.write(predictionsCsv, List.of("file", "truth", "prediction", "confidence", "correct"), sink -> {
                for (Batch batch : stream) {
                    unreadable[0] += batch.skipped();
                    bar.step(batch.size() + batch.skipped());
                    if (batch.size() == 0) {
                        continue;
                    }
                    CaptchaModel.Scored scored = model.score(batch.pixels(), batch.size(), batch.classes(), batch.lengths());
                    for (int i = 0; i < batch.size(); i++) {
                        IndexEntry e = batch.entries().get(i);
                        Prediction p = scored.predictions().get(i);
                        String truth = e.label();
                        boolean covered = alphabet.covers(truth) && truth.length() <= spec.maxLength();
                        if (covered) {
                            lossSum[0] += scored.losses()[i];
                            lossCount[0]++;
                        } else {
                            outside[0]++;
                        }
                        scores.add(truth, p.text());
                        boolean ok = truth.equals(p.text());
                        calibration.add(p.confidence(), ok);
                        int wrongChars = tally(truth, p, alphabet, confusion, curves);
                        if (!ok) {
                            errorCounts.merge(wrongChars, 1L, Long::sum);
                        }
                        SampleResult r = new SampleResult(e, p);
                        if (!ok && wrong.size() < WRONG_SAMPLES) {
                            wrong.add(r);
                        } else if (ok && right.size() < RIGHT_SAMPLES) {
                            right.add(r);
                        }
                        sink.accept(List.of(e.file(), truth, p.text(), String.format("%.6f", p.confidence()), ok));
                    }
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long incorrect = scores.images() - scores.correct();
        long wrongCharsTotal = errorCounts.entrySet().stream().mapToLong(x -> (long) x.getKey() * x.getValue()).sum();
        Integer mostCommon = errorCounts.entrySet().stream()
                .max(Map.Entry.<Integer, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey(java.util.Comparator.reverseOrder())))
                .map(Map.Entry::getKey).orElse(null);
        List<Double> precision = new ArrayList<>();
        List<Double> recall = new ArrayList<>();
        for (int pos = 0; pos < confusion.positions(); pos++) {
            double[] pr = Confusion.macroPrecisionRecall(confusion.at(pos));
            precision.add(pr[0]);
            recall.add(pr[1]);
        }
        long[][] overall = confusion.overall();
        double[] overallPr = Confusion.macroPrecisionRecall(overall);
        List<EvaluationMetrics.ConfusedPair> confused = Confusion.mostConfused(overall, 10).stream()
                .map(pr -> new EvaluationMetrics.ConfusedPair(Evaluation.label(spec.alphabet(), pr.truth()),
                        Evaluation.label(spec.alphabet(), pr.predicted()), pr.count())).toList();
        EvaluationMetrics metrics = new EvaluationMetrics(
                model.manifest().name(), index.root().toString(), split, scores.images(), scores.correct(),
                scores.sequenceAccuracy(), scores.charAccuracy(), scores.characterErrorRate(), scores.positionAccuracy(),
                scores.insertions(), scores.deletions(), scores.substitutions(),
                incorrect == 0 ? 0 : wrongCharsTotal / (double) incorrect, mostCommon, new LinkedHashMap<>(errorCounts),
                lossCount[0] == 0 ? null : lossSum[0] / lossCount[0], valLoss, precision, recall, overallPr[0], overallPr[1],
                confused, curves.auc(), curves.averagePrecision(), calibration.expectedCalibrationError(), calibration.bins(),
                outside[0], unreadable[0], scores.images() / seconds, seconds);
        return new Evaluation(metrics, spec.alphabet(), confusion, curves, calibration, List.copyOf(wrong), List.copyOf(right));
    }

    /**
     * Counts one image into the confusion matrices and score curves, position by position
     * (a position missing on either side is class 0; characters predicted past the label's end count
     * in the overall matrix, not as positions of their own); returns its number of wrong positions.
     */
    static int tally(String truth, Prediction p, Alphabet alphabet, Confusion confusion, ScoreCurves curves) {
        String pred = p.text();
        int n = Math.max(truth.length(), pred.length());
        int classes = alphabet.classes();
        int wrongPositions = 0;
        for (int i = 0; i < n; i++) {
            int t = i < truth.length() ? Math.max(0, alphabet.classOf(truth.charAt(i))) : 0;
            int q = i < pred.length() ? alphabet.classOf(pred.charAt(i)) : 0;
            if (i < truth.length()) {
                confusion.add(i, t, q);
            } else {
                confusion.addBeyondLabel(t, q);
            }
            if (t != q || t == 0) {
                wrongPositions++;
            }
            // One-hot truth against the predicted distribution at this position; a position the model
            // did not produce has probability 0 for every character.
            float[] dist = i < p.charDistributions().length ? p.charDistributions()[i] : null;
            for (int c = 1; c < classes; c++) {
                curves.add(dist == null ? 0f : dist[c], c == t);
            }
        }
        return wrongPositions;
    }
}
