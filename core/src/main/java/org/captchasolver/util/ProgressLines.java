package org.captchasolver.util;

import java.util.Locale;
import java.util.function.Consumer;

/** {@link Progress.Mode#LINES}: whole lines at an interval, for output that is not a terminal. */
final class ProgressLines implements Progress {
    private final String task;
    private final long total;
    private final String unit;
    private final long intervalNanos;
    private final Consumer<String> out;
    private final long start = System.nanoTime();
    private long lastLine = start;
    private long done;
    private boolean printed;
    private String message = "";

    ProgressLines(String task, long total, String unit, long intervalMillis, Consumer<String> out) {
        this.task = task;
        this.total = total;
        this.unit = unit;
        this.intervalNanos = intervalMillis * 1_000_000L;
        this.out = out;
    }

    @Override
    public synchronized void step(long n) {
        done += n;
        long now = System.nanoTime();
        if (now - lastLine >= intervalNanos) {
            lastLine = now;
            printed = true;
            out.accept(line(now));
        }
    }

    @Override
    public synchronized void message(String text) {
        message = text == null ? "" : text;
    }

    @Override
    public synchronized void close() {
        if (printed) {
            long now = System.nanoTime();
            out.accept(String.format(Locale.ROOT, "%s: done, %d %s in %.1f s (%.1f %s/s)%s", task, done, unit,
                    (now - start) / 1e9, rate(now), unit, suffix()));
        }
    }

    private String line(long now) {
        double rate = rate(now);
        StringBuilder b = new StringBuilder(task).append(": ").append(done);
        if (total > 0) {
            b.append('/').append(total);
        }
        b.append(' ').append(unit).append(String.format(Locale.ROOT, ", %.1f %s/s", rate, unit));
        if (total > 0 && rate > 0) {
            long left = (long) ((total - done) / rate);
            b.append(String.format(Locale.ROOT, ", %d:%02d:%02d left", left / 3600, left / 60 % 60, left % 60));
        }
        return b.append(suffix()).toString();
    }

    private double rate(long now) {
        double seconds = (now - start) / 1e9;
        return seconds <= 0 ? 0 : done / seconds;
    }

    private String suffix() {
        return message.isBlank() ? "" : ", " + message.strip();
    }
}
