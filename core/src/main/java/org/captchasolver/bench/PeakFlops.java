package org.captchasolver.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import org.captchasolver.model.Engines;
import org.captchasolver.util.Parallel;

/**
 * The CPU's FLOP/s two ways: attainable, a large single-precision matrix product through the same
 * engine and thread settings as training; and nominal, cores x clock x FLOPs per cycle.
 */
public final class PeakFlops {
    private PeakFlops() {}

    public record Result(int matrixSize, double attainableGflops, double nominalGflops, double clockGhz, int cores,
                         int flopsPerCycle, String cpu) {}

    public static Result measure(int n, int repeats) {
        Engines.pytorch();
        double gflops;
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray a = m.randomUniform(-1, 1, new Shape(n, n));
            NDArray b = m.randomUniform(-1, 1, new Shape(n, n));
            a.matMul(b).close();
            long t0 = System.nanoTime();
            for (int i = 0; i < repeats; i++) {
                NDArray c = a.matMul(b);
                c.getFloat(0, 0); // forces completion
                c.close();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            gflops = 2.0 * n * n * n * repeats / seconds / 1e9;
        }
        double ghz = clockGhz();
        int cores = Parallel.cores();
        int perCycle = flopsPerCycle(cpuInfo("vendor_id"), cpuFamily(), Set.copyOf(Arrays.asList(cpuInfo("flags").split(" "))));
        return new Result(n, gflops, cores * ghz * perCycle, ghz, cores, perCycle, cpuName());
    }

    /**
     * Single-precision FLOPs one core can issue per cycle: FMA pipes x vector floats x 2. The project's
     * machines have been a Zen 4 EPYC (AVX-512 executed on two 256-bit pipes: 32) and a Xeon with
     * AMX (two 512-bit FMA ports: 64); the vendor and family tell them apart, since the flags do not.
     */
    static int flopsPerCycle(String vendor, int family, Set<String> flags) {
        boolean avx512 = flags.contains("avx512f");
        if (avx512 && "GenuineIntel".equals(vendor)) {
            return 64;
        }
        if (avx512 && "AuthenticAMD".equals(vendor)) {
            return family >= 0x1a ? 64 : 32; // Zen 5 has full-width pipes, Zen 4 splits each instruction in two
        }
        if (flags.contains("avx2") && flags.contains("fma")) {
            return 32;
        }
        return 16;
    }

    private static int cpuFamily() {
        try {
            return Integer.parseInt(cpuInfo("cpu family"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static double clockGhz() {
        try {
            return Double.parseDouble(cpuInfo("cpu MHz")) / 1000;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    public static String cpuName() {
        return cpuInfo("model name");
    }

    /** The first value of {@code key} in /proc/cpuinfo, or "unknown". */
    private static String cpuInfo(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith(key)) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            return "unknown";
        }
        return "unknown";
    }
}
