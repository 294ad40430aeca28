package org.captchasolver.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory of this process (Java heap plus native tensors), from /proc. */
public final class Memory {
    private Memory() {}

    /** @return resident set size in MB, or -1 where /proc is not available */
    public static long rssMb() {
        return procStatus("VmRSS:");
    }

    public static long peakRssMb() {
        return procStatus("VmHWM:");
    }

    private static long procStatus(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
