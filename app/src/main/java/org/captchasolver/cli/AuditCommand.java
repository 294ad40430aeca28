package org.captchasolver.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.captchasolver.audit.LabelAudit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code captcha audit}: suspected label errors of a run's images, cross-validated. */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "List the images whose label cross-validated models contradict most confidently (each image is "
                + "read by a model that did not train on it), as suspects.csv and audit.html; run it again to go on.",
        footer = {"", "Examples:", "  captcha audit -m runs/mine",
            "  captcha label captchas/ -m runs/mine --list runs/mine/audit/suspects.csv"})
final class AuditCommand implements Callable<Integer> {
    @Mixin CaptchaCli.CommonOptions common = new CaptchaCli.CommonOptions();

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "RUN", description = "The training run whose images "
            + "(all splits) and recipe are audited.")
    Path run;

    @Option(names = "--folds", description = "Models to train; each reads the images the others learn from "
            + "(default: ${DEFAULT-VALUE}).")
    int folds = 3;

    @Option(names = "--max-minutes", paramLabel = "MIN", description = "Training budget of each fold (default: ${DEFAULT-VALUE}).")
    double maxMinutes = 5;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", description = "Where the folds and lists go (default: RUN/audit).")
    Path out;

    @Option(names = "--top", description = "Suspects to print (default: ${DEFAULT-VALUE}).")
    int top = 10;

    @Override
    public Integer call() throws Exception {
        common.apply();
        org.captchasolver.network.Engines.requireNativeLibrary(); // before any work is done
        List<LabelAudit.Suspect> suspects = new LabelAudit(folds, maxMinutes).run(run, out != null ? out : run.resolve("audit"), System.out);
        for (LabelAudit.Suspect s : suspects.subList(0, Math.min(top, suspects.size()))) {
            System.out.printf("  %-40s label %-10s reads %-10s (confidence %.4f, log odds %.1f)%n", s.file(), s.label(), s.reading(),
                    s.confidence(), s.logOdds());
        }
        return 0;
    }
}
