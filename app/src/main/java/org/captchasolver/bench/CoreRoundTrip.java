package org.captchasolver.bench;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * How far apart two CPUs are right now: two spinning threads hand a flag back and forth and the
 * mean round trip is returned. On the 2-vCPU cloud hosts this flips between ~60-90 ns (cores that
 * share a cache) and ~330-370 ns (they do not) every 10-20 s, and batch-1 solving with two PyTorch
 * threads follows it, 1.4-1.6 against 2.1-2.3 ms (docs/performance.md, "Current numbers"); the
 * inference rows carry it so that a latency can be read against the host's state when it was taken.
 * The threads are not pinned: with both spinning, the scheduler keeps them on different CPUs.
 */
public final class CoreRoundTrip {
    private CoreRoundTrip() {}

    /** Mean round trip in nanoseconds over {@code rounds} exchanges; NaN on a single CPU. */
    public static double nanos(int rounds) {
        if (Runtime.getRuntime().availableProcessors() < 2) {
            return Double.NaN;
        }
        AtomicInteger flag = new AtomicInteger();
        Thread other = new Thread(() -> {
            for (int i = 0; i < rounds; i++) {
                while (flag.get() != 1) {
                    // no onSpinWait: its pause would be timed as distance
                }
                flag.set(0);
            }
        }, "round-trip");
        other.setDaemon(true);
        other.start();
        long t0 = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            flag.set(1);
            while (flag.get() != 0) {
                // spin, as above
            }
        }
        long elapsed = System.nanoTime() - t0;
        try {
            other.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return (double) elapsed / rounds;
    }
}
