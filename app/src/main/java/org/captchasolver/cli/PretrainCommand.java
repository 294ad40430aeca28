package org.captchasolver.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.captchasolver.train.Pretraining;
import org.captchasolver.train.TrainingRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code captcha pretrain}: the base recogniser that {@code train --init base} starts from, rebuilt from scratch. */
@Command(name = "pretrain", mixinStandardHelpOptions = true,
        description = "Generate a mixed set of CAPTCHAs (every style, 3-8 characters of digits and both cases) and train "
                + "the base recogniser on it; run it again to continue an interrupted one.",
        footer = {"", "The run folder (OUT/run) is a model: pass it to 'captcha train --init', or copy its model.json and "
                + "model.params into core/src/main/resources/org/captchasolver/base/ to ship it as --init base."})
final class PretrainCommand implements Callable<Integer> {
    @Mixin CaptchaCli.CommonOptions common = new CaptchaCli.CommonOptions();

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", description = "Images and run (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("runs", "base");

    @Option(names = {"-n", "--count"}, description = "Images to generate (default: ${DEFAULT-VALUE}).")
    int count = 60_000;

    @Option(names = "--max-minutes", paramLabel = "MIN", description = "Training budget (default: ${DEFAULT-VALUE}).")
    double maxMinutes = 30;

    @Option(names = "--seed", description = "Seeds the images and the training (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    @Override
    public Integer call() throws Exception {
        common.apply();
        org.captchasolver.network.Engines.requireNativeLibrary(); // before any work is done
        TrainingRun.Result r = new Pretraining(count, maxMinutes, seed).run(out, System.out);
        System.out.printf("Base recogniser: %s (%.1f min of training)%n", r.folder().dir(), r.seconds() / 60);
        return 0;
    }
}
