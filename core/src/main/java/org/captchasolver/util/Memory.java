package org.captchasolver.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory of this process (Java heap plus native tensors), from /proc. */
public final class Memory {
    private Memory() {}

    /** @return resident set size in MB, or -1 where /proc is not available */
    public static long rssMb() {
        return mb(procStatusKb("self", "VmRSS:"));
    }

    public static long peakRssMb() {
        return mb(procStatusKb("self", "VmHWM:"));
    }

    /**
     * A full collection, after which G1 shrinks the heap down to its free ratio ({@code bin/captcha}
     * sets 30%). Reading a large index grows the heap with its parse garbage; without this the grown
     * heap stays resident for the whole run.
     */
    public static void releaseGarbage() {
        System.gc();
    }

    /**
     * Hands the C allocator's free pages back to the system (glibc's {@code malloc_trim}). PyTorch's
     * activations come from glibc's arenas ({@code bin/captcha} keeps them there for speed); tensors of
     * varying sizes leave free holes that glibc keeps resident, so without this a training run's RSS
     * creeps up by tens of MB over its first tens of epochs before it levels off (docs/performance.md,
     * "Memory"). A no-op where the C library has no {@code malloc_trim}.
     */
    public static void releaseFreeNativePages() {
        TRIM.run();
    }

    private static final Runnable TRIM = trimmer();

    private static Runnable trimmer() {
        try {
            com.sun.jna.Function trim = com.sun.jna.NativeLibrary.getInstance("c").getFunction("malloc_trim");
            return () -> trim.invokeInt(new Object[] {0});
        } catch (UnsatisfiedLinkError e) {
            return () -> {};
        }
    }

    private static long mb(long kb) {
        return kb < 0 ? -1 : kb / 1024;
    }

    /** Peak resident size of another process in kB, or -1 once it has ended (or without /proc). */
    public static long peakRssKb(long pid) {
        return procStatusKb(Long.toString(pid), "VmHWM:");
    }

    private static long procStatusKb(String process, String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", process, "status"))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
