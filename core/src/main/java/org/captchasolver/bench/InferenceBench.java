package org.captchasolver.bench;

import ai.djl.Model;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.captchasolver.dataset.LabelRules;
import org.captchasolver.image.ImageTensors;
import org.captchasolver.model.Engines;
import org.captchasolver.model.ModelBundle;
import org.captchasolver.model.ModelManifest;
import org.captchasolver.model.ModelSpec;
import org.captchasolver.solve.CaptchaSolver;

/**
 * Solving speed through {@link CaptchaSolver}, what the CLI, the API and the server call: one image
 * at a time (latency, including resize and decoding of the answer, after {@link #WARM_UP}) and in
 * batches (throughput).
 */
public final class InferenceBench {
    private InferenceBench() {}

    /** How long the solver runs before latency is measured. */
    public static final Duration WARM_UP = Duration.ofSeconds(3);

    /** Exchanges per {@link CoreRoundTrip} probe: 15-75 ms. */
    private static final int ROUND_TRIPS = 200_000;

    /**
     * @param cpuRoundTripBeforeNs {@link CoreRoundTrip} just before the batch-1 samples, and after them: at
     *                             ~60-90 ns the two CPUs share a cache, at ~330-370 ns they do not and
     *                             batch-1 latency is ~0.7 ms higher on the 2-vCPU hosts
     */
    public record Result(String architecture, int images, double batch1P50Ms, double batch1P99Ms, double preprocessP50Ms,
                         double batchedImagesPerSecond, double cpuRoundTripBeforeNs, double cpuRoundTripAfterNs) {}

    public static Result run(Path bundle, List<BufferedImage> images, int latencySamples, int batchedRounds) throws IOException {
        try (CaptchaSolver solver = CaptchaSolver.load(bundle)) {
            ModelSpec spec = solver.manifest().spec();
            // Warm-up by time, not by count: the JIT needs a few thousand calls to compile the solving
            // path, and latency measured before that is start-up cost, not what a running service sees.
            long warmEnd = System.nanoTime() + WARM_UP.toNanos();
            for (int i = 0; i < 20 || System.nanoTime() < warmEnd; i++) {
                solver.solve(images.get(i % images.size()));
            }
            double before = CoreRoundTrip.nanos(ROUND_TRIPS);
            double[] ms = new double[latencySamples];
            double[] prep = new double[latencySamples];
            float[] scratch = new float[spec.input().size()];
            for (int i = 0; i < latencySamples; i++) {
                BufferedImage img = images.get(i % images.size());
                long t0 = System.nanoTime();
                solver.solve(img);
                long t1 = System.nanoTime();
                ImageTensors.toChw(img, spec.input(), scratch, 0);
                ms[i] = (t1 - t0) / 1e6;
                prep[i] = (System.nanoTime() - t1) / 1e6;
            }
            double after = CoreRoundTrip.nanos(ROUND_TRIPS);
            solver.solveAll(images);
            long t0 = System.nanoTime();
            for (int r = 0; r < batchedRounds; r++) {
                solver.solveAll(images);
            }
            double ips = (double) batchedRounds * images.size() / ((System.nanoTime() - t0) / 1e9);
            return new Result(spec.architecture().id(), images.size(), Percentiles.of(ms, 50), Percentiles.of(ms, 99),
                    Percentiles.of(prep, 50), ips, before, after);
        }
    }

    /** A bundle with freshly initialised weights: speed does not depend on what the weights are. */
    public static Path untrainedBundle(ModelSpec spec, Path dir) throws IOException {
        Engines.pytorch();
        try (Model model = Model.newInstance("bench", "PyTorch")) {
            var block = ModelBundle.newBlock(spec, model.getNDManager());
            ModelManifest manifest = new ModelManifest(ModelManifest.FORMAT_VERSION, "captcha-solver bench", "untrained-" + spec.architecture().id(),
                    spec, LabelRules.defaults(), Map.of(), Map.of(), Instant.now().toString());
            ModelBundle.save(dir, manifest, block);
        }
        return dir;
    }
}
