package org.captchasolver.util;

import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * Progress of a long task on stderr: a redrawn bar with rate and ETA on a terminal, a plain line every
 * few seconds when stderr goes to a file or a pipe (a log gets no carriage-return frames), or nothing
 * ({@code --quiet}, and by default in the library: only the command line switches it on).
 */
public interface Progress extends AutoCloseable {

    void step(long n);

    default void step() {
        step(1);
    }

    /** Text shown after the bar (loss, accuracy...). */
    void message(String text);

    @Override
    void close();

    /** How progress is shown. */
    enum Mode {
        /** Nothing. */
        OFF,
        /** A bar redrawn in place: for a terminal. */
        BAR,
        /** A plain line every few seconds: for a log file or a pipe. */
        LINES
    }

    /** Global switch, set once by the CLI. */
    final class Settings {
        private static volatile Mode mode = Mode.OFF;
        private static volatile long lineIntervalMillis = 5_000;

        private Settings() {}

        public static void mode(Mode m) {
            mode = m;
        }

        public static Mode mode() {
            return mode;
        }

        /**
         * The mode for a command line: nothing when quiet, a bar when the JVM has a terminal (Java sees one
         * only when both standard input and output are terminals), plain lines otherwise.
         */
        public static Mode forConsole(boolean quiet) {
            return quiet ? Mode.OFF : System.console() != null ? Mode.BAR : Mode.LINES;
        }

        /** How often {@link Mode#LINES} prints a line (5 s unless changed). */
        public static void lineInterval(java.time.Duration interval) {
            lineIntervalMillis = interval.toMillis();
        }
    }

    /** Progress on stderr as {@link Settings#mode()} says. */
    static Progress bar(String task, long total, String unit) {
        return switch (Settings.mode()) {
            case OFF -> NONE;
            case BAR -> bar(task, total, unit, null);
            case LINES -> lines(task, total, unit, System.err::println);
        };
    }

    /**
     * Plain lines into {@code out}, one when at least the line interval has passed since the last, and a
     * closing one if any was printed; a task shorter than the interval prints nothing.
     */
    static Progress lines(String task, long total, String unit, java.util.function.Consumer<String> out) {
        return new ProgressLines(task, total, unit, Settings.lineIntervalMillis, out);
    }

    /**
     * A bar drawn into {@code lines} instead of the terminal (a UI, a log; whatever the global switch says).
     *
     * @param lines null for the terminal
     */
    static Progress bar(String task, long total, String unit, java.util.function.Consumer<String> lines) {
        ProgressBarBuilder builder = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total)
                .setRenderer(new ProgressRenderer(" " + unit))
                .setUpdateIntervalMillis(250)
                .setMaxRenderedLength(120)
                .continuousUpdate();
        if (lines != null) {
            builder.setConsumer(new DelegatingProgressBarConsumer(lines::accept, 120));
        }
        ProgressBar bar = builder.build();
        return new Progress() {
            @Override
            public void step(long n) {
                bar.stepBy(n);
            }

            @Override
            public void message(String text) {
                bar.setExtraMessage(" " + text);
            }

            @Override
            public void close() {
                bar.close();
            }
        };
    }

    Progress NONE = new Progress() {
        @Override
        public void step(long n) {}

        @Override
        public void message(String text) {}

        @Override
        public void close() {}
    };
}
