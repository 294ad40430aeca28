package org.captchasolver.cli;

import java.io.PrintWriter;
import org.captchasolver.common.CaptchaException;
import org.captchasolver.util.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The {@code captcha} command: exit 0 on success, 1 on failure, 2 on bad usage; errors in one line. */
@Command(name = "captcha", mixinStandardHelpOptions = true, versionProvider = CaptchaCli.Version.class,
        description = "Learn to read text CAPTCHAs from labelled images, measure how well, and solve new ones.",
        subcommands = {DemoCommand.class, GenerateCommand.class, IndexCommand.class, EdaCommand.class, TrainCommand.class, PretrainCommand.class, AuditCommand.class, LabelCommand.class, EvaluateCommand.class, ExportCommand.class, SolveCommand.class, ServeCommand.class, SparkCommand.class, BenchCommand.class, BenchmarkCommand.class,
            CommandLine.HelpCommand.class})
public final class CaptchaCli implements Runnable {

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit code (tests call this in-process). */
    public static int execute(String... args) {
        System.setProperty("java.awt.headless", "true");
        System.setProperty("ai.djl.offline", "true");
        CommandLine cli = commandLine();
        cli.setExecutionExceptionHandler(CaptchaCli::handle);
        cli.setParameterExceptionHandler((ex, a) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("error: " + ex.getMessage().replaceFirst("^Error: ", ""));
            if (!CommandLine.UnmatchedArgumentException.printSuggestions(ex, err)) {
                Suggestions.closeOption(ex).ifPresent(s -> err.println("Did you mean: " + s + "?"));
            }
            err.println("try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'");
            return CommandLine.ExitCode.USAGE;
        });
        return cli.execute(args);
    }

    /** The command tree as picocli sees it: options match enum values in any case ({@code --arch CRNN}). */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new CaptchaCli());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        Suggestions.registerEnumNames(cli, org.captchasolver.model.Architecture.class);
        Suggestions.registerEnumNames(cli, org.captchasolver.model.ModelSpec.SequenceHead.class);
        Suggestions.registerEnumNames(cli, org.captchasolver.model.ModelSpec.Stem.class);
        Suggestions.registerEnumNames(cli, TrainCommand.Recipe.class);
        Suggestions.registerEnumNames(cli, org.captchasolver.solve.Engine.class);
        Suggestions.registerEnumNames(cli, TrainCommand.Monitor.class);
        cli.setUsageHelpAutoWidth(false);
        cli.setUsageHelpWidth(100);
        return cli;
    }

    private static int handle(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
        boolean verbose = parsed.originalArgs().contains("--verbose") || parsed.originalArgs().contains("-v");
        PrintWriter err = cmd.getErr();
        if (verbose) {
            ex.printStackTrace(err);
        }
        if (ex instanceof IllegalArgumentException && !(ex instanceof NumberFormatException)) {
            err.println("error: " + ex.getMessage());
            return CommandLine.ExitCode.USAGE;
        }
        String msg = ex instanceof CaptchaException ? ex.getMessage() : describe(ex);
        err.println("error: " + msg.lines().findFirst().orElse(msg) + (verbose ? "" : "  (--verbose for details)"));
        return CommandLine.ExitCode.SOFTWARE;
    }

    private static String describe(Throwable ex) {
        Throwable root = ex;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage();
        return root.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {org.captchasolver.common.Version.producer()};
        }
    }

    /** Options every subcommand has. */
    static final class CommonOptions {
        @CommandLine.Option(names = {"-v", "--verbose"}, order = 96, description = "Print stack traces on errors.")
        boolean verbose;

        @CommandLine.Option(names = {"-q", "--quiet"}, order = 97, description = "No progress output.")
        boolean quiet;

        void apply() {
            Progress.Settings.mode(Progress.Settings.forConsole(quiet));
        }
    }
}
