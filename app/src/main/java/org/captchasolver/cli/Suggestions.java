package org.captchasolver.cli;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;
import org.captchasolver.eval.EditDistance;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** What the command line says when a word is not one it knows. */
final class Suggestions {
    private Suggestions() {}

    /**
     * The option nearest a mistyped one ({@code --dta} for {@code --data}), within two edits, where
     * picocli's own similarity found none: it compares letter pairs, which a short word barely has.
     */
    static Optional<String> closeOption(CommandLine.ParameterException ex) {
        if (!(ex instanceof CommandLine.UnmatchedArgumentException unmatched) || ex.getCommandLine() == null) {
            return Optional.empty();
        }
        for (String arg : unmatched.getUnmatched()) {
            if (!arg.startsWith("-")) {
                continue;
            }
            String typed = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            String best = null;
            int bestDistance = 3;
            for (OptionSpec o : ex.getCommandLine().getCommandSpec().options()) {
                for (String name : o.names()) {
                    int d = EditDistance.of(typed, name);
                    if (d < bestDistance) {
                        bestDistance = d;
                        best = name;
                    }
                }
            }
            if (best != null) {
                return Optional.of(best);
            }
        }
        return Optional.empty();
    }

    /**
     * Options of an enum type accept the names that {@code --help} lists (the constants' {@code toString},
     * such as {@code seed-cnn}) or the constants themselves, in any case; anything else is refused with
     * those names.
     */
    static <E extends Enum<E>> void registerEnumNames(CommandLine cli, Class<E> type) {
        E[] values = type.getEnumConstants();
        cli.registerConverter(type, text -> {
            for (E e : values) {
                if (e.toString().equalsIgnoreCase(text.trim()) || e.name().equalsIgnoreCase(text.trim())) {
                    return e;
                }
            }
            throw new CommandLine.TypeConversionException("'" + text + "' is not one of "
                    + Arrays.stream(values).map(Object::toString).collect(Collectors.joining(", ")));
        });
    }
}
