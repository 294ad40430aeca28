package org.captchasolver.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;

/**
 * {@code docs/cli.md}: every command's {@code --help}, rendered from the same picocli model that parses
 * the command line, so the reference cannot drift from it (a test compares the file with this output).
 * Run {@code java -cp app/target/captcha.jar org.captchasolver.cli.CliReference docs/cli.md} after
 * changing an option.
 */
public final class CliReference {
    private CliReference() {}

    /** Writes the reference to the file named by the first argument, or prints it. */
    public static void main(String[] args) throws IOException {
        String text = render();
        if (args.length == 0) {
            System.out.print(text);
        } else {
            Files.writeString(Path.of(args[0]), text, StandardCharsets.UTF_8);
        }
    }

    /** The whole reference as Markdown. */
    public static String render() {
        CommandLine root = CaptchaCli.commandLine();
        StringBuilder md = new StringBuilder();
        md.append("# Command-line reference\n\n")
                .append("Generated from the command line's own definitions by `CliReference` (see its Javadoc); ")
                .append("`captcha COMMAND --help` prints the same text.\n\n");
        section(md, "captcha", root);
        for (Map.Entry<String, CommandLine> sub : root.getSubcommands().entrySet()) {
            if (sub.getKey().equals("help")) {
                continue;
            }
            section(md, "captcha " + sub.getKey(), sub.getValue());
            for (Map.Entry<String, CommandLine> nested : sub.getValue().getSubcommands().entrySet()) {
                section(md, "captcha " + sub.getKey() + " " + nested.getKey(), nested.getValue());
            }
        }
        return md.toString();
    }

    private static void section(StringBuilder md, String title, CommandLine cmd) {
        md.append("## ").append(title).append("\n\n```\n")
                .append(cmd.getUsageMessage(CommandLine.Help.Ansi.OFF).stripTrailing()).append("\n```\n\n");
    }
}
