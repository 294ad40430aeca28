package org.captchasolver.util;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

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
        ProgressBar bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII)
                .setUnit(" " + unit, 1)
                .showSpeed()
                .setSpeedUnit(ChronoUnit.SECONDS)
                .setUpdateIntervalMillis(250)
                .setMaxRenderedLength(120)
                .setEtaFunction(state -> java.util.Optional.of(eta(state.getElapsedAfterStart(),
                        state.getCurrent() - state.getStart(), state.getMax() - state.getCurrent())))
                .continuousUpdate()
                .build();
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

    private static Duration eta(Duration elapsed, long done, long left) {
        if (done <= 0) {
            return Duration.ZERO;
        }
        return Duration.ofMillis((long) (elapsed.toMillis() * (double) left / done));
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
