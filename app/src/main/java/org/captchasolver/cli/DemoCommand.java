package org.captchasolver.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.captchasolver.dataset.DatasetIndex;
import org.captchasolver.dataset.DatasetIndexer;
import org.captchasolver.dataset.IndexOptions;
import org.captchasolver.dataset.Split;
import org.captchasolver.eda.EdaOptions;
import org.captchasolver.eval.EvaluationMetrics;
import org.captchasolver.generate.CaptchaStyle;
import org.captchasolver.generate.DatasetGenerator;
import org.captchasolver.generate.GeneratorConfig;
import org.captchasolver.report.EvaluationReport;
import org.captchasolver.train.TrainConfig;
import org.captchasolver.train.TrainingRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "The whole story on built-in data: generate, index, explore, train, evaluate, report.")
final class DemoCommand implements Callable<Integer> {
    @Mixin CaptchaCli.CommonOptions common = new CaptchaCli.CommonOptions();

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("demo-output");

    @Option(names = {"-n", "--count"}, description = "Images to generate (default: ${DEFAULT-VALUE}).")
    int count = 6000;

    @Option(names = "--minutes", description = "Training time budget in minutes (default: ${DEFAULT-VALUE}).")
    double minutes = 5;

    @Override
    public Integer call() throws Exception {
        common.apply();
        org.captchasolver.network.Engines.requireNativeLibrary(); // before any work is done
        long t0 = System.nanoTime();
        Path data = out.resolve("data");
        System.out.println("[1/5] Generating " + count + " CAPTCHAs in three styles");
        GeneratorConfig gen = GeneratorConfig.builder().count(count).styles(CaptchaStyle.FIXED_SIZE).build();
        DatasetGenerator.Result g = new DatasetGenerator(gen).generate(data);
        System.out.printf("Generated %d images in %s (%.0f images/s)%n", g.images(), data, g.imagesPerSecond());

        System.out.println("[2/5] Indexing");
        long ti = System.nanoTime();
        DatasetIndex index = new DatasetIndexer(IndexOptions.builder().build()).index(data);
        Path indexDir = out.resolve("index");
        index.write(indexDir);
        Datasets.report(index, indexDir, (System.nanoTime() - ti) / 1e9, System.out);

        System.out.println("[3/5] Exploratory analysis");
        EdaCommand.run(index, EdaOptions.DEFAULT, out.resolve("eda"));

        System.out.printf("[4/5] Training crnn for up to %.0f minutes%n", minutes);
        Path run = out.resolve("model");
        TrainConfig config = TrainConfig.builder().maxMinutes(minutes).monitor("val_seq_acc").build();
        TrainingRun.start(index, config, run, System.out);

        System.out.println("[5/5] Evaluating on the held-out test split");
        Path results = out.resolve("results");
        EvaluationMetrics m = EvaluationReport.run(run, new EvaluationReport.Target(null, Split.TEST), results, System.out);
        System.out.printf("%nDemo done in %.1f min. Test sequence accuracy %.2f%% (%d/%d).%nReport: %s%n",
                (System.nanoTime() - t0) / 60e9, 100 * m.sequenceAccuracy(), m.correct(), m.images(),
                results.resolve(EvaluationReport.REPORT_HTML).toAbsolutePath());
        return 0;
    }
}
