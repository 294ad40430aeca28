package org.captchasolver.util;

import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * A progress bar with rate and ETA on stderr, or nothing when progress is switched off
 * (tests, {@code --quiet}, or output that is not a terminal and not asked for).
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

    /** Global switch, set once by the CLI. */
    final class Settings {
        private static volatile boolean enabled = false;

        private Settings() {}

        public static void enable(boolean on) {
            enabled = on;
        }

        public static boolean enabled() {
            return enabled;
        }
    }

    static Progress bar(String task, long total, String unit) {
        if (!Settings.enabled()) {
            return NONE;
        }
        return bar(task, total, unit, null);
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
