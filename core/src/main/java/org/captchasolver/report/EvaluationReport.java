package org.captchasolver.report;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.captchasolver.common.AtomicFiles;
import org.captchasolver.common.CaptchaException;
import org.captchasolver.common.Json;
import org.captchasolver.dataset.DatasetIndex;
import org.captchasolver.dataset.DatasetIndexer;
import org.captchasolver.dataset.IndexEntry;
import org.captchasolver.dataset.IndexOptions;
import org.captchasolver.dataset.Split;
import org.captchasolver.eval.Evaluation;
import org.captchasolver.eval.EvaluationMetrics;
import org.captchasolver.eval.Evaluator;
import org.captchasolver.model.LabelRules;
import org.captchasolver.model.ModelManifest;
import org.captchasolver.network.ScoringModel;
import org.captchasolver.solve.Engine;
import org.captchasolver.train.EpochMetrics;
import org.captchasolver.train.RunFolder;

/**
 * {@code captcha evaluate}: a model bundle on a held-out split of its own data or on another
 * folder, written as {@code metrics/*.json}, {@code predictions.csv}, {@code figures/*.png} and
 * {@code report.html}.
 */
public final class EvaluationReport {
    public static final String METRICS_JSON = "metrics/metrics.json";
    public static final String CONFUSION_JSON = "metrics/confusion.json";
    public static final String PREDICTIONS_CSV = "predictions.csv";
    public static final String REPORT_HTML = "report.html";

    /** What to evaluate on: a folder ({@code data}) or a split of the model's own index. */
    public record Target(Path data, Split split) {}

    private EvaluationReport() {}

    /**
     * Evaluates a model and writes metrics, predictions, figures and {@code report.html} into {@code out}.
     * Everything is written into a staging folder beside it and moved into place only when complete, so a
     * failed evaluation (a full disk, say) leaves no half-written report behind, and {@code out} keeps
     * what an earlier evaluation wrote until the new one is whole.
     *
     * @throws CaptchaException naming the folder, when the evaluation cannot be written
     */
    public static EvaluationMetrics run(Path modelDir, Target target, Path out, PrintStream log) throws IOException {
        return run(modelDir, Engine.AUTO, target, out, log);
    }

    /** Same, with the network run by {@code engine}. */
    public static EvaluationMetrics run(Path modelDir, Engine engine, Target target, Path out, PrintStream log) throws IOException {
        Path dest = out.toAbsolutePath().normalize();
        Path staging = dest.resolveSibling("." + dest.getFileName() + ".partial-" + ProcessHandle.current().pid());
        org.captchasolver.common.Folders.deleteRecursively(staging);
        try {
            EvaluationMetrics m = write(modelDir, engine, target, staging, log);
            org.captchasolver.common.Folders.deleteRecursively(dest);
            Files.move(staging, dest, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            printTable(m, log);
            log.println("Report: " + dest.resolve(REPORT_HTML));
            return m;
        } catch (IOException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause(); // "No space left on device" lies under ImageIO's "I/O error writing PNG file!"
            }
            String why = root == e ? e.getMessage() : e.getMessage() + ": " + root.getMessage();
            throw new CaptchaException("cannot write the evaluation to " + dest + ": " + why
                    + " (nothing was left there; free some space or choose another --out)", e);
        } finally {
            try {
                org.captchasolver.common.Folders.deleteRecursively(staging);
            } catch (IOException e) {
                log.println("warning: could not remove " + staging + ": " + e.getMessage());
            }
        }
    }

    private static EvaluationMetrics write(Path modelDir, Engine engine, Target target, Path out, PrintStream log) throws IOException {
        try (ScoringModel model = ScoringModel.load(modelDir, engine)) {
            ModelManifest manifest = model.manifest();
            DatasetIndex index;
            List<IndexEntry> entries;
            String splitName;
            Double valLoss = manifest.metrics() == null ? null : manifest.metrics().get("val_loss");
            Evaluator evaluator = new Evaluator(model);
            if (target.data() != null) {
                // The model's own label rules, but no fixed charset: unknown characters are counted as errors.
                LabelRules rules = manifest.labelRules() == null ? LabelRules.defaults()
                        : manifest.labelRules().toBuilder().manifest(null).charset(null).maxLength(64).build();
                index = new DatasetIndexer(IndexOptions.builder().rules(rules).build()).index(target.data());
                index.write(out.resolve("index"));
                entries = index.entries();
                splitName = "all of " + target.data().getFileName();
            } else {
                Path indexDir = new RunFolder(modelDir).index();
                if (!DatasetIndex.isIndexFolder(indexDir)) {
                    throw new CaptchaException(modelDir + " has no index of its training data: evaluate it with --data DIR");
                }
                index = DatasetIndex.read(indexDir);
                if (!Files.isDirectory(index.root())) {
                    throw new CaptchaException("the training data " + index.root() + " is gone: evaluate with --data DIR");
                }
                entries = index.entries(target.split());
                splitName = target.split().id();
                if (target.split() == Split.TEST) {
                    List<IndexEntry> val = index.entries(Split.VAL);
                    if (!val.isEmpty()) {
                        Files.createDirectories(out);
                        EvaluationMetrics v = evaluator.evaluate(index, val, "val", out.resolve("val_predictions.csv"), null).metrics();
                        valLoss = v.loss();
                    }
                }
            }
            if (entries.isEmpty()) {
                throw new CaptchaException("nothing to evaluate: the " + splitName + " set is empty");
            }
            Files.createDirectories(out.resolve("metrics"));
            Evaluation ev = evaluator.evaluate(index, entries, splitName, out.resolve(PREDICTIONS_CSV), valLoss);
            EvaluationMetrics m = ev.metrics();
            AtomicFiles.writeJson(out.resolve(METRICS_JSON), m);
            AtomicFiles.writeJson(out.resolve(CONFUSION_JSON), confusionJson(ev));
            List<EpochMetrics> history = readHistory(modelDir);
            DatasetIndex idx = index;
            List<Figure> figures = EvaluationFigures.write(ev, history, out.resolve("figures"), idx::pathOf);
            ReportPage.write(out.resolve(REPORT_HTML), "CAPTCHA model report: " + manifest.name(), summary(manifest, index, splitName), m, figures);
            return m;
        }
    }

    static List<EpochMetrics> readHistory(Path modelDir) {
        Path all = new RunFolder(modelDir).allMetrics();
        if (!Files.isRegularFile(all)) {
            return List.of();
        }
        return List.of(Json.read(all, EpochMetrics[].class));
    }

    private static Map<String, Object> confusionJson(Evaluation ev) {
        Map<String, Object> out = new LinkedHashMap<>();
        List<String> labels = new ArrayList<>();
        for (int c = 0; c <= ev.alphabet().length(); c++) {
            labels.add(ev.label(c));
        }
        out.put("labels", labels);
        out.put("overall", ev.confusion().overall());
        List<long[][]> per = new ArrayList<>();
        for (int p = 0; p < ev.confusion().positions(); p++) {
            per.add(ev.confusion().at(p));
        }
        out.put("perPosition", per);
        return out;
    }

    private static Map<String, String> summary(ModelManifest manifest, DatasetIndex index, String split) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("model", manifest.name());
        s.put("architecture", manifest.spec().architecture().id() + ", input " + manifest.spec().input().channels() + "x"
                + manifest.spec().input().height() + "x" + manifest.spec().input().width());
        s.put("alphabet", manifest.spec().alphabet() + " (" + manifest.spec().alphabet().length() + ")");
        s.put("evaluated on", index.root() + " (" + split + ")");
        s.put("split sizes", String.valueOf(index.summary().splitSizes()));
        Map<String, Object> t = manifest.training();
        if (t != null) {
            s.put("trained on", String.valueOf(t.get("dataRoot")));
            Object kept = t.getOrDefault("keptEpoch", t.get("bestEpoch")); // bundles from before keptEpoch kept their best
            s.put("epochs", t.get("epochs") + " (kept " + kept + ", best on validation " + t.get("bestEpoch") + ")");
            Object secs = t.get("seconds");
            if (secs instanceof Number n) {
                s.put("training time", String.format("%.1f min", n.doubleValue() / 60));
            }
        }
        s.put("created", manifest.created());
        return s;
    }

    public static void printTable(EvaluationMetrics m, PrintStream out) {
        out.println("Metric                                     Value");
        ReportPage.metricRows(m).forEach((k, v) -> out.printf("%-42s %s%n", k, v));
    }
}
