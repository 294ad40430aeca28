package org.captchasolver.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.captchasolver.model.Engines;
import org.captchasolver.util.Parallel;

/**
 * The CPU's FLOP/s two ways: attainable, a large single-precision matrix product through the same
 * engine and thread settings as training; and nominal, cores x clock x FLOPs per cycle.
 */
public final class PeakFlops {
    private PeakFlops() {}

    /**
     * Zen 4 runs AVX-512 as two 256-bit FMA pipes per core: 2 pipes x 8 floats x 2 (multiply + add)
     * = 32 single-precision FLOPs per cycle.
     */
    public static final int FLOPS_PER_CYCLE = 32;

    public record Result(int matrixSize, double attainableGflops, double nominalGflops, double clockGhz, int cores,
                         String cpu) {}

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
        return new Result(n, gflops, cores * ghz * FLOPS_PER_CYCLE, ghz, cores, cpuName());
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
