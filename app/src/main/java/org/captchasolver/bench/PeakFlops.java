package org.captchasolver.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.captchasolver.common.Parallel;
import org.captchasolver.network.Engines;

/**
 * The CPU's FLOP/s two ways: attainable, a large single-precision matrix product through the same
 * engine and thread settings as training; and nominal, cores x clock x FLOPs per cycle. The product
 * is timed in rounds and the best round counts: on a shared host one ~1 s measurement varied from
 * 236 to 303 GFLOP/s between runs, and a low peak would flatter every share computed from it.
 */
public final class PeakFlops {
    private PeakFlops() {}

    /**
     * @param attainableGflops the best round's rate
     * @param medianGflops     the median round's, to show how steady the machine was
     */
    public record Result(int matrixSize, int rounds, double attainableGflops, double medianGflops, double nominalGflops,
                         double clockGhz, int cores, int flopsPerCycle, String cpu) {}

    public static Result measure(int n, int rounds, int repeats) {
        Engines.pytorch();
        double[] gflops = new double[rounds];
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray a = m.randomUniform(-1, 1, new Shape(n, n));
            NDArray b = m.randomUniform(-1, 1, new Shape(n, n));
            a.matMul(b).close();
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < repeats; i++) {
                    NDArray c = a.matMul(b);
                    c.getFloat(0, 0); // forces completion
                    c.close();
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                gflops[r] = 2.0 * n * n * n * repeats / seconds / 1e9;
            }
        }
        Arrays.sort(gflops);
        Map<String, String> cpu = cpuInfo();
        double ghz = number(cpu.get("cpu MHz"), Double.NaN) / 1000;
        int cores = Parallel.cores();
        Set<String> flags = Set.copyOf(List.of(cpu.getOrDefault("flags", "").split("\\s+")));
        int perCycle = flopsPerCycle(cpu.get("vendor_id"), (int) number(cpu.get("cpu family"), 0), flags);
        return new Result(n, rounds, gflops[rounds - 1], gflops[rounds / 2], cores * ghz * perCycle, ghz, cores, perCycle,
                cpu.getOrDefault("model name", "unknown"));
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

    public static String cpuName() {
        return cpuInfo().getOrDefault("model name", "unknown");
    }

    private static double number(String value, double fallback) {
        try {
            return value == null ? fallback : Double.parseDouble(value);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** The first processor's fields in /proc/cpuinfo, read once; empty where there is no /proc. */
    private static Map<String, String> cpuInfo() {
        Map<String, String> fields = new HashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.isBlank()) {
                    break;
                }
                int colon = line.indexOf(':');
                if (colon > 0) {
                    fields.putIfAbsent(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
                }
            }
        } catch (IOException e) {
            return Map.of();
        }
        return fields;
    }
}
