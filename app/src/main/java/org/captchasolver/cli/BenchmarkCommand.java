package org.captchasolver.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.captchasolver.common.AtomicFiles;
import org.captchasolver.common.Json;
import org.captchasolver.dataset.DatasetIndex;
import org.captchasolver.dataset.DatasetIndexer;
import org.captchasolver.dataset.FewLabels;
import org.captchasolver.dataset.IndexOptions;
import org.captchasolver.dataset.Split;
import org.captchasolver.dataset.SplitRatios;
import org.captchasolver.eval.EvaluationMetrics;
import org.captchasolver.generate.CaptchaStyle;
import org.captchasolver.generate.DatasetGenerator;
import org.captchasolver.generate.GeneratorConfig;
import org.captchasolver.model.Architecture;
import org.captchasolver.model.LabelRules;
import org.captchasolver.report.EvaluationReport;
import org.captchasolver.train.RunFolder;
import org.captchasolver.train.InitialWeights;
import org.captchasolver.train.TrainConfig;
import org.captchasolver.train.TrainingRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code captcha benchmark}: the default recipe (or the notebook's, for seed-cnn) trained and
 * evaluated on each dataset in turn, one table row per dataset and seed. Every run keeps its
 * folder, so each row's report can be opened afterwards.
 */
@Command(name = "benchmark", mixinStandardHelpOptions = true,
        description = "Train and evaluate the default recipe on datasets; print and write a table of accuracy and speed.")
final class BenchmarkCommand implements Callable<Integer> {
    @Mixin CaptchaCli.CommonOptions common = new CaptchaCli.CommonOptions();

    @Parameters(paramLabel = "DATASET", arity = "1..*", description = "A folder of labelled images, FOLDER:lowercase to fold "
            + "labels to lower case, or generated:STYLE (clean, colorful, warped, variable): 11,000 generated images split "
            + "91/9 (10,010 for training), tested on 2,000 others; variable ones hold 4-8 characters, the others 4-6.")
    List<String> datasets;

    @Option(names = "--seeds", split = ",", description = "Training seeds; each gives a row (default: 42). The split stays that of seed 42.")
    List<Long> seeds = List.of(42L);

    @Option(names = "--arch", paramLabel = "ARCH", description = "${COMPLETION-CANDIDATES}: crnn with the default recipe (default), "
            + "or seed-cnn with the notebook's settings.")
    Architecture arch = Architecture.CRNN;

    @Option(names = "--max-minutes", description = "Training budget per run (default: the recipe's, 15).")
    Double maxMinutes;

    @Option(names = "--labelled", split = ",", paramLabel = "N", description = "Few-labels rows: train on a sample of N "
            + "images of the training split (one in ten for validation; the sample follows the seed), test on the usual "
            + "test split; one row per N. Folders only.")
    List<Integer> labelled;

    @Option(names = "--init", paramLabel = "auto|base|none|RUN", description = "The starting weights, as 'train --init' "
            + "takes them (default: auto, the default recipe's choice by training-set size).")
    String init = InitialWeights.AUTO;

    @Option(names = "--unlabelled", description = "With --labelled: self-train on the rest of the training and validation "
            + "splits as unlabelled images (see 'train --unlabelled').")
    boolean unlabelled;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", description = "Runs, data and the table (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("benchmark");

    @Option(names = "--resume", description = "Continue the runs already in --out: an interrupted one from its last "
            + "completed epoch, with the settings it started with; a finished one is evaluated again without training.")
    boolean resume;

    record Row(String dataset, String architecture, long seed, int trainImages, int testImages, double sequenceAccuracy,
               double charAccuracy, double cer, double trainMinutes, int keptEpoch, String stop, double inferenceImagesPerSecond,
               Integer labelled, String init) {}

    @Override
    public Integer call() throws Exception {
        common.apply();
        org.captchasolver.network.Engines.requireNativeLibrary(); // before any work is done
        Architecture architecture = arch;
        List<Row> rows = new ArrayList<>();
        if (unlabelled && labelled == null) {
            throw new IllegalArgumentException("--unlabelled needs --labelled: it self-trains on the images the sample leaves out");
        }
        List<Integer> sizes = labelled == null ? java.util.Collections.singletonList(null) : labelled;
        for (String spec : datasets) {
            if (labelled != null && spec.startsWith("generated:")) {
                throw new IllegalArgumentException("--labelled takes folders of labelled images, not " + spec);
            }
            for (Integer n : sizes) {
                for (long seed : seeds) {
                    rows.add(run(spec, architecture, seed, n, System.out));
                    write(rows);
                }
            }
        }
        System.out.println();
        System.out.print(table(rows));
        System.out.println("Wrote " + out.resolve("benchmark.md") + " and " + out.resolve("benchmark.json"));
        return 0;
    }

    private Row run(String spec, Architecture architecture, long seed, Integer n, PrintStream log) throws IOException {
        boolean generated = spec.startsWith("generated:");
        boolean lowercase = spec.endsWith(":lowercase");
        String name;
        Path trainData;
        IndexOptions indexing;
        Path test = null;
        if (generated) {
            CaptchaStyle style = CaptchaStyle.parse(spec.substring("generated:".length()));
            name = "generated-" + style.name().toLowerCase(Locale.ROOT);
            trainData = generate(name + "-train", style, 11_000, 101);
            test = generate(name + "-test", style, 2_000, 202);
            indexing = IndexOptions.builder().ratios(SplitRatios.parse("91/9/0")).build();
        } else {
            trainData = Path.of(lowercase ? spec.substring(0, spec.length() - ":lowercase".length()) : spec);
            name = Datasets.nameOf(trainData);
            indexing = IndexOptions.builder().rules(LabelRules.builder().lowercase(lowercase).build()).build();
        }
        TrainConfig.Builder config = architecture == Architecture.SEED_CNN
                ? TrainConfig.notebook().architecture(architecture) : TrainConfig.builder();
        boolean named = init.equals(InitialWeights.AUTO) || init.equals(InitialWeights.BASE); // crnn starts only
        config.seed(seed).init(named && architecture != Architecture.CRNN ? null : InitialWeights.configValue(init));
        if (maxMinutes != null) {
            config.maxMinutes(maxMinutes);
        }
        String variant = (n != null ? "-n" + n : "") + (init.equals(InitialWeights.AUTO) ? "" : "-" + Path.of(init).getFileName())
                + (n != null && unlabelled ? "-unlabelled" : "");
        Path runDir = out.resolve("runs").resolve(name + "-" + architecture.id() + variant + "-s" + seed);
        log.printf("%n== %s, %s, seed %d -> %s%n", name, architecture.id(), seed, runDir);
        RunFolder folder = new RunFolder(runDir);
        boolean continuing = resume && Files.isRegularFile(folder.state());
        // A continued run keeps the split it was trained on, whatever the folder holds now.
        DatasetIndex index = continuing ? DatasetIndex.read(folder.index()) : new DatasetIndexer(indexing).index(trainData);
        if (n != null && !continuing) {
            index = FewLabels.sample(index, n, seed).labelled();
        }
        if (n != null && unlabelled) { // the folder's images less the labelled sample and the test split
            config.unlabelled(trainData.toAbsolutePath().toString());
        }
        TrainingRun.Result trained = continuing ? TrainingRun.resume(runDir, log) : TrainingRun.start(index, config.build(), runDir, log);
        EvaluationMetrics m = EvaluationReport.run(runDir, new EvaluationReport.Target(test, test == null ? Split.TEST : null),
                runDir.resolve("results"), log);
        return new Row(name, architecture.id(), seed, index.entries(Split.TRAIN).size(), (int) m.images(), m.sequenceAccuracy(),
                m.charAccuracy(), m.characterErrorRate(), trained.seconds() / 60, trained.keptEpoch(), trained.stopReason(),
                m.imagesPerSecond(), n, startOf(folder) + (n != null && unlabelled ? " + unlabelled" : ""));
    }

    /** What the run started from, as its config records it after 'auto' was resolved. */
    private static String startOf(RunFolder folder) throws IOException {
        String init = Json.read(folder.config(), TrainConfig.class).init();
        return init == null ? "scratch" : init.equals(InitialWeights.BASE) ? "base" : Path.of(init).getFileName().toString();
    }

    private Path generate(String folder, CaptchaStyle style, int count, long seed) throws IOException {
        Path dir = out.resolve("data").resolve(folder);
        if (!Files.isRegularFile(dir.resolve("labels.csv"))) { // labels.csv is written last: its presence marks a finished set
            GeneratorConfig.Builder config = GeneratorConfig.builder().count(count).style(style).seed(seed);
            if (style == CaptchaStyle.VARIABLE) { // its widths follow the length: cover the range the geometry rule serves
                config.length(4, 8);
            }
            new DatasetGenerator(config.build()).generate(dir);
        }
        return dir;
    }

    private void write(List<Row> rows) throws IOException {
        Files.createDirectories(out);
        AtomicFiles.writeJson(out.resolve("benchmark.json"), rows);
        AtomicFiles.writeString(out.resolve("benchmark.md"), table(rows));
    }

    static String table(List<Row> rows) {
        StringBuilder sb = new StringBuilder(
                "| dataset | labels | start | arch | seed | train / test | seq acc | char acc | CER | train min | kept epoch "
                        + "| inference img/s |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %d | %d / %d | %.2f%% | %.2f%% | %.4f | %.1f | %d | %.0f |%n",
                    r.dataset(), r.labelled() == null ? "all" : r.labelled(), r.init() == null ? "scratch" : r.init(),
                    r.architecture(), r.seed(), r.trainImages(), r.testImages(), 100 * r.sequenceAccuracy(),
                    100 * r.charAccuracy(), r.cer(), r.trainMinutes(), r.keptEpoch(), r.inferenceImagesPerSecond()));
        }
        return sb.toString();
    }
}
