package org.captchasolver.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.captchasolver.dataset.Split;
import org.captchasolver.report.EvaluationReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Measure a model on its held-out split or on another folder: metrics JSON, predictions.csv, figures, report.html.")
final class EvaluateCommand implements Callable<Integer> {
    @Mixin CaptchaCli.CommonOptions common = new CaptchaCli.CommonOptions();

    @Mixin EngineOption engineOption = new EngineOption();

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "DIR", description = "Model bundle (a run folder from 'captcha train').")
    Path model;

    @Option(names = {"-d", "--data"}, paramLabel = "DIR", description = "Evaluate on every image of this folder instead of a split.")
    Path data;

    @Option(names = "--split", description = "test (default), val or train: a split of the model's own training data.")
    String split = "test";

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", description = "Output folder (default: <model>/results).")
    Path out;

    @Override
    public Integer call() throws Exception {
        common.apply();
        Split s = Split.parse(split);
        EvaluationReport.run(model, engineOption.engine, new EvaluationReport.Target(data, data == null ? s : null),
                out != null ? out : model.resolve("results"), System.out);
        return 0;
    }
}
