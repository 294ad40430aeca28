package org.captchasolver.report;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.DoubleStream;
import org.captchasolver.common.AtomicFiles;
import org.captchasolver.dataset.IndexEntry;
import org.captchasolver.eval.Calibration;
import org.captchasolver.eval.EditDistance;
import org.captchasolver.eval.Evaluation;
import org.captchasolver.eval.EvaluationMetrics;
import org.captchasolver.eval.SampleResult;
import org.captchasolver.eval.ScoreCurves;
import org.captchasolver.image.ImageDecoder;
import org.captchasolver.image.ImageRejectedException;
import org.captchasolver.plot.Charts;
import org.captchasolver.plot.Heatmap;
import org.captchasolver.plot.ImageGrid;
import org.captchasolver.train.EpochMetrics;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Draws every figure of an evaluation into a folder. */
public final class EvaluationFigures {
    private static final Color GOOD = new Color(0x2ca02c);
    private static final Color FAIR = new Color(0xff9f1c);
    private static final Color POOR = new Color(0xd62728);

    private EvaluationFigures() {}

    public static List<Figure> write(Evaluation ev, List<EpochMetrics> history, Path dir, Function<IndexEntry, Path> paths)
            throws IOException {
        Files.createDirectories(dir);
        EvaluationMetrics m = ev.metrics();
        List<Figure> figs = new ArrayList<>();

        CategoryChart accuracy = Charts.bar("Final accuracy (" + m.split() + ")", "", "accuracy",
                List.of("sequence accuracy", "character accuracy"), List.of(m.sequenceAccuracy(), m.charAccuracy()), Charts.BLUE, 900, 400);
        accuracy.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        accuracy.getStyler().setDecimalPattern("#0.0000");
        figs.add(save(accuracy, dir.resolve("final_metrics.png"), "Final accuracy",
                "Whole-CAPTCHA and per-character accuracy on the evaluated images."));
        List<String> lossNames = new ArrayList<>();
        List<Double> lossValues = new ArrayList<>();
        if (m.loss() != null) {
            lossNames.add("loss (" + m.split() + ")");
            lossValues.add(m.loss());
        }
        if (m.valLoss() != null) {
            lossNames.add("validation loss");
            lossValues.add(m.valLoss());
        }
        if (!lossNames.isEmpty()) {
            CategoryChart losses = Charts.bar("Final loss", "", "loss", lossNames, lossValues, Charts.ORANGE, 900, 400);
            losses.getStyler().setDecimalPattern("#0.0000");
            figs.add(save(losses, dir.resolve("final_loss.png"), "Final loss",
                    "The loss on the evaluated images and on the validation split, on an axis of its own: a loss is not a share like the accuracies."));
        }

        if (history != null && !history.isEmpty()) {
            XYChart loss = lossChart(history);
            figs.add(save(loss, dir.resolve("loss_curves.png"), "Loss curves",
                    "Loss per epoch" + (loss.getStyler().isYAxisLogarithmic() ? " (log scale)" : "")
                            + "; validation loss rising while training loss falls would mean overfitting."));
            figs.add(save(accuracyChart(history), dir.resolve("accuracy_curves.png"), "Accuracy curves",
                    "How accuracy grew during training, per character and for whole CAPTCHAs: on the training batches as "
                            + "they were trained (augmented, with dropout) and on the validation split."));
        }

        List<String> labels = new ArrayList<>();
        for (int c = 0; c < ev.alphabet().length() + 1; c++) {
            labels.add(ev.label(c));
        }
        Path overall = dir.resolve("confusion_overall.png");
        AtomicFiles.writePng(overall, Heatmap.draw("Character confusion, all positions", ev.confusion().overall(), labels, "true", "predicted"));
        figs.add(new Figure(overall, "Confusion matrix",
                "Rows are true characters, columns predicted ones, over all positions; ∅ is a missing or extra character. Off-diagonal cells are the mistakes."));
        for (int p = 0; p < ev.confusion().positions(); p++) {
            Path f = dir.resolve("confusion_position_" + (p + 1) + ".png");
            AtomicFiles.writePng(f, Heatmap.draw("Character confusion, position " + (p + 1), ev.confusion().at(p), labels, "true", "predicted"));
            figs.add(new Figure(f, "Confusion at position " + (p + 1), "The same, for the character at position " + (p + 1) + " only.",
                    "Confusion matrix per position"));
        }

        figs.add(save(positionChart(m.positionAccuracy()), dir.resolve("position_accuracy.png"), "Accuracy per position",
                "Share of images whose character at each position is right, over the positions labels have: green ≥ 0.7, "
                        + "orange ≥ 0.5, red below. Characters an answer adds past its label's end are counted as insertions "
                        + "in the metrics table."));

        List<ScoreCurves.Point> pts = ev.curves().points();
        XYChart roc = Charts.xy("ROC (all characters, one-vs-rest)", "false positive rate", "true positive rate", 700, 600);
        line(roc, String.format("ROC, AUC = %.4f", m.rocAuc()), pts.stream().mapToDouble(ScoreCurves.Point::fpr).toArray(),
                pts.stream().mapToDouble(ScoreCurves.Point::tpr).toArray(), Charts.BLUE);
        line(roc, "chance", new double[] {0, 1}, new double[] {0, 1}, Charts.GRAY);
        roc.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
        figs.add(save(roc, dir.resolve("roc.png"), "ROC curve",
                "Every character probability against whether that character is the true one at its position."));
        XYChart pr = Charts.xy("Precision-recall (all characters)", "recall", "precision", 700, 600);
        line(pr, String.format("PR, AP = %.4f", m.averagePrecision()), pts.stream().mapToDouble(ScoreCurves.Point::recall).toArray(),
                pts.stream().mapToDouble(ScoreCurves.Point::precision).toArray(), Charts.ORANGE);
        pr.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSW);
        figs.add(save(pr, dir.resolve("pr.png"), "Precision-recall curve",
                "The same scores as the ROC curve, as precision against recall; AP is the area under it."));

        XYChart rel = Charts.xy(String.format("Reliability (ECE %.3f)", m.expectedCalibrationError()), "predicted confidence",
                "observed accuracy", 700, 600);
        List<Calibration.Bin> bins = ev.calibration().bins().stream().filter(b -> b.images() > 0).toList();
        if (!bins.isEmpty()) {
            XYSeries s = rel.addSeries("model", bins.stream().mapToDouble(Calibration.Bin::meanConfidence).toArray(),
                    bins.stream().mapToDouble(Calibration.Bin::accuracy).toArray());
            s.setLineColor(Charts.BLUE);
            s.setMarkerColor(Charts.BLUE);
        }
        line(rel, "perfect calibration", new double[] {0, 1}, new double[] {0, 1}, Charts.GRAY);
        rel.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
        figs.add(save(rel, dir.resolve("reliability.png"), "Reliability diagram",
                "Answers grouped by the model's confidence: on the diagonal, a confidence of 0.9 is right 90% of the time, so it can decide when to retry."));

        Path wrong = dir.resolve("misclassified.png");
        AtomicFiles.writePng(wrong, grid("Misclassified", ev.wrong(), 4, paths));
        figs.add(new Figure(wrong, "Misclassified samples",
                "Up to 12 wrong answers: the truth, then the prediction aligned to it by edit distance: a character is green "
                        + "when it matches, red when misread or extra, and a red _ stands for a character the answer lacks."));
        Path right = dir.resolve("correct.png");
        AtomicFiles.writePng(right, grid("Correct", ev.right(), 4, paths));
        figs.add(new Figure(right, "Correct samples", "Up to 8 right answers, for comparison."));
        return figs;
    }

    private static CategoryChart positionChart(List<Double> acc) {
        CategoryChart c = Charts.bar("Accuracy per character position", "position: accuracy", "accuracy", 900, 450);
        List<String> pos = new ArrayList<>();
        List<Double> good = new ArrayList<>();
        List<Double> fair = new ArrayList<>();
        List<Double> poor = new ArrayList<>();
        for (int i = 0; i < acc.size(); i++) {
            double a = acc.get(i);
            pos.add(String.format("%d: %.3f", i + 1, a));
            // One series per colour, each bar in the one it belongs to; a zero in the others would be
            // labelled "0.000" at every bar's foot, on top of the real label.
            good.add(a >= 0.7 ? a : null);
            fair.add(a >= 0.5 && a < 0.7 ? a : null);
            poor.add(a < 0.5 ? a : null);
        }
        if (pos.isEmpty()) {
            pos.add("-");
            good.add(0.0);
            fair.add(null);
            poor.add(null);
        }
        c.getStyler().setOverlapped(true);
        c.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        c.getStyler().setDecimalPattern("#0.000");
        // The value stands under each bar: a label inside a short bar is unreadable.
        c.getStyler().setLabelsVisible(false);
        c.addSeries(">= 0.7", pos, good).setFillColor(GOOD);
        c.addSeries(">= 0.5", pos, fair).setFillColor(FAIR);
        c.addSeries("< 0.5", pos, poor).setFillColor(POOR);
        c.getStyler().setLegendVisible(true);
        return c;
    }

    /**
     * The prediction as coloured characters, aligned to the truth by edit distance: green where it matches,
     * red where it misreads or adds a character, and a red underscore where it lacks one. One inserted or
     * dropped character thus marks one place, and the characters after it still line up.
     */
    static List<ImageGrid.Run> alignedRuns(String truth, String pred) {
        List<ImageGrid.Run> runs = new ArrayList<>();
        for (EditDistance.Step step : EditDistance.align(truth, pred)) {
            switch (step.kind()) {
                case MATCH -> runs.add(new ImageGrid.Run(String.valueOf(step.predicted()), GOOD));
                case SUBSTITUTION, INSERTION -> runs.add(new ImageGrid.Run(String.valueOf(step.predicted()), POOR));
                case DELETION -> runs.add(new ImageGrid.Run("_", POOR));
            }
        }
        return runs;
    }

    /** Training and validation accuracy per epoch, per character and per CAPTCHA. */
    static XYChart accuracyChart(List<EpochMetrics> history) {
        double[] epochs = history.stream().mapToDouble(EpochMetrics::epoch).toArray();
        XYChart acc = Charts.xy("Accuracy per epoch", "epoch", "accuracy", 900, 450);
        List<EpochMetrics> trained = history.stream().filter(h -> h.trainSeqAcc() != null).toList();
        if (!trained.isEmpty()) {
            double[] x = trained.stream().mapToDouble(EpochMetrics::epoch).toArray();
            dashed(acc, "training, characters", x, trained.stream().mapToDouble(EpochMetrics::trainCharAcc).toArray(), Charts.GREEN);
            dashed(acc, "training, sequences", x, trained.stream().mapToDouble(EpochMetrics::trainSeqAcc).toArray(), Charts.PURPLE);
        }
        line(acc, "validation, characters", epochs, history.stream().mapToDouble(EpochMetrics::valCharAcc).toArray(), Charts.GREEN);
        line(acc, "validation, sequences", epochs, history.stream().mapToDouble(EpochMetrics::valSeqAcc).toArray(), Charts.PURPLE);
        acc.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        acc.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
        return acc;
    }

    private static void dashed(XYChart c, String name, double[] x, double[] y, Color color) {
        XYSeries s = c.addSeries(name, x, y);
        s.setLineColor(color);
        s.setLineStyle(org.knowm.xchart.style.lines.SeriesLines.DASH_DASH);
        s.setMarker(SeriesMarkers.NONE);
    }

    private static BufferedImage grid(String title, List<SampleResult> samples, int cols, Function<IndexEntry, Path> paths) {
        ImageDecoder decoder = ImageDecoder.defaults();
        List<ImageGrid.Cell> cells = new ArrayList<>();
        for (SampleResult r : samples) {
            BufferedImage img;
            try {
                img = decoder.decode(paths.apply(r.entry())).image();
            } catch (ImageRejectedException e) {
                img = new BufferedImage(200, 60, BufferedImage.TYPE_INT_RGB);
            }
            String truth = r.entry().label();
            String pred = r.prediction().text();
            List<ImageGrid.Run> runs = new ArrayList<>();
            runs.add(new ImageGrid.Run("pred ", Color.DARK_GRAY));
            if (pred.isEmpty()) {
                runs.add(new ImageGrid.Run("(nothing)", POOR));
            } else {
                runs.addAll(alignedRuns(truth, pred));
            }
            cells.add(new ImageGrid.Cell(img, List.of(List.of(new ImageGrid.Run("true " + truth, Color.BLACK)), runs,
                    List.of(new ImageGrid.Run(String.format("conf %.2f", r.prediction().confidence()), Color.GRAY)))));
        }
        if (cells.isEmpty()) {
            BufferedImage blank = new BufferedImage(220, 80, BufferedImage.TYPE_INT_RGB);
            java.awt.Graphics2D g = blank.createGraphics();
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, 220, 80);
            g.dispose();
            cells.add(new ImageGrid.Cell(blank, List.of(List.of(new ImageGrid.Run("none", Color.GRAY)))));
        }
        return ImageGrid.draw(title + " (" + samples.size() + " shown)", cells, cols, 220, 90);
    }

    /**
     * Training and validation loss per epoch, on a log scale where it can be one: XChart refuses values
     * at or below zero, which a run whose model fits every image exactly can log, as a diverged one logs NaN.
     */
    static XYChart lossChart(List<EpochMetrics> history) {
        double[] epochs = history.stream().mapToDouble(EpochMetrics::epoch).toArray();
        double[] train = history.stream().mapToDouble(EpochMetrics::loss).toArray();
        double[] val = history.stream().mapToDouble(EpochMetrics::valLoss).toArray();
        XYChart chart = Charts.xy("Training and validation loss", "epoch", "loss", 900, 450);
        line(chart, "training loss", epochs, train, Charts.BLUE);
        line(chart, "validation loss", epochs, val, Charts.ORANGE);
        chart.getStyler().setYAxisLogarithmic(DoubleStream.concat(Arrays.stream(train), Arrays.stream(val))
                .allMatch(v -> v > 0 && Double.isFinite(v)));
        return chart;
    }

    private static void line(XYChart c, String name, double[] x, double[] y, Color color) {
        XYSeries s = c.addSeries(name, x, y);
        s.setLineColor(color);
        s.setMarker(SeriesMarkers.NONE);
    }

    private static Figure save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path file, String title, String caption)
            throws IOException {
        Charts.save(chart, file);
        return new Figure(file, title, caption);
    }
}
