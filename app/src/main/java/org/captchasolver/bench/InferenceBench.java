package org.captchasolver.bench;

import ai.djl.Model;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.captchasolver.image.ImageDecoder;
import org.captchasolver.image.ImageTensors;
import org.captchasolver.model.Decoder;
import org.captchasolver.model.LabelRules;
import org.captchasolver.model.ModelBundle;
import org.captchasolver.model.ModelManifest;
import org.captchasolver.model.ModelSpec;
import org.captchasolver.network.Engines;
import org.captchasolver.network.Weights;
import org.captchasolver.solve.CaptchaSolver;
import org.captchasolver.solve.Engine;
import org.captchasolver.solve.spi.Network;
import org.captchasolver.solve.spi.NetworkLoader;

/**
 * Solving speed through {@link CaptchaSolver}, what the CLI, the API and the server call, on one engine: one image
 * at a time (latency, including resize and decoding of the answer, after {@link #WARM_UP}), in batches
 * (throughput), and where a batch-1 solve spends its time: image decoding (PNG to pixels, which a solve of a file
 * or bytes adds), resize and normalisation, the network, and reading the answer (CTC beam search).
 */
public final class InferenceBench {
    private InferenceBench() {}

    /** How long the solver runs before latency is measured. */
    public static final Duration WARM_UP = Duration.ofSeconds(3);

    /** Exchanges per {@link CoreRoundTrip} probe: 15-75 ms. */
    private static final int ROUND_TRIPS = 200_000;

    /**
     * @param batch1P50Ms        a decoded image solved alone, median (resize + network + answer)
     * @param pngDecodeP50Ms     decoding the image's PNG bytes, median (not in batch1, in a solve of bytes)
     * @param preprocessP50Ms    resize and normalise, median
     * @param networkP50Ms       the network on one image, median
     * @param answerP50Ms        reading text and confidences from the probabilities, median
     * @param cpuRoundTripBeforeNs {@link CoreRoundTrip} just before the batch-1 samples, and after them: at
     *                             ~60-90 ns the two CPUs share a cache, at ~330-370 ns they do not and
     *                             batch-1 latency is ~0.7 ms higher on the 2-vCPU hosts
     */
    public record Result(String engine, String architecture, int images, double batch1P50Ms, double batch1P99Ms,
                         double pngDecodeP50Ms, double preprocessP50Ms, double networkP50Ms, double answerP50Ms,
                         double batchedImagesPerSecond, double cpuRoundTripBeforeNs, double cpuRoundTripAfterNs) {}

    /**
     * @param files the images' files, decoded into {@code images}, in the same order
     */
    public static Result run(Path bundle, Engine engine, List<Path> files, List<BufferedImage> images, int latencySamples,
                             int batchedRounds) throws IOException {
        try (CaptchaSolver solver = CaptchaSolver.load(bundle, engine, ImageDecoder.DEFAULT_MAX_PIXELS)) {
            ModelSpec spec = solver.manifest().spec();
            // Warm-up by time, not by count: the JIT needs a few thousand calls to compile the solving
            // path, and latency measured before that is start-up cost, not what a running service sees.
            long warmEnd = System.nanoTime() + WARM_UP.toNanos();
            for (int i = 0; i < 20 || System.nanoTime() < warmEnd; i++) {
                solver.solve(images.get(i % images.size()));
            }
            double before = CoreRoundTrip.nanos(ROUND_TRIPS);
            double[] ms = new double[latencySamples];
            for (int i = 0; i < latencySamples; i++) {
                BufferedImage img = images.get(i % images.size());
                long t0 = System.nanoTime();
                solver.solve(img);
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
            double after = CoreRoundTrip.nanos(ROUND_TRIPS);
            double[][] split = split(bundle, solver.engine(), spec, files, images, latencySamples);
            solver.solveAll(images);
            long t0 = System.nanoTime();
            for (int r = 0; r < batchedRounds; r++) {
                solver.solveAll(images);
            }
            double ips = (double) batchedRounds * images.size() / ((System.nanoTime() - t0) / 1e9);
            return new Result(solver.engine().toString(), spec.architecture().id(), images.size(), Percentiles.of(ms, 50),
                    Percentiles.of(ms, 99), Percentiles.of(split[0], 50), Percentiles.of(split[1], 50),
                    Percentiles.of(split[2], 50), Percentiles.of(split[3], 50), ips, before, after);
        }
    }

    /**
     * The stages of a batch-1 solve timed one by one, with the same pieces {@link CaptchaSolver} runs: PNG decode,
     * resize, network, answer; each row is one stage's samples in ms.
     */
    private static double[][] split(Path bundle, Engine engine, ModelSpec spec, List<Path> files, List<BufferedImage> images,
                                    int samples) throws IOException {
        double[][] out = new double[4][samples];
        ImageDecoder decoder = ImageDecoder.defaults();
        float[] pixels = new float[spec.input().size()];
        NetworkLoader loader = NetworkLoader.find(engine).orElseThrow(() -> new IllegalStateException("no " + engine + " engine"));
        try (Network network = loader.load(bundle, ModelBundle.readManifest(bundle))) {
            for (int i = 0; i < samples; i++) {
                byte[] encoded = Files.readAllBytes(files.get(i % files.size()));
                long t0 = System.nanoTime();
                decodeQuietly(decoder, encoded);
                long t1 = System.nanoTime();
                ImageTensors.toChw(images.get(i % images.size()), spec.input(), pixels, 0);
                long t2 = System.nanoTime();
                float[] probs = network.probabilities(pixels, 1);
                long t3 = System.nanoTime();
                Decoder.decode(spec, probs, 1, probs.length / spec.classes());
                long t4 = System.nanoTime();
                out[0][i] = (t1 - t0) / 1e6;
                out[1][i] = (t2 - t1) / 1e6;
                out[2][i] = (t3 - t2) / 1e6;
                out[3][i] = (t4 - t3) / 1e6;
            }
        }
        return out;
    }

    private static void decodeQuietly(ImageDecoder decoder, byte[] encoded) {
        try {
            decoder.decode(encoded);
        } catch (org.captchasolver.image.ImageRejectedException e) {
            throw new IllegalStateException("a benchmark image does not decode: " + e.getMessage(), e);
        }
    }

    /** A bundle with freshly initialised weights: speed does not depend on what the weights are. */
    public static Path untrainedBundle(ModelSpec spec, Path dir) throws IOException {
        Engines.pytorch();
        try (Model model = Model.newInstance("bench", "PyTorch")) {
            var block = Weights.newBlock(spec, model.getNDManager());
            ModelManifest manifest = new ModelManifest(ModelManifest.FORMAT_VERSION, "captcha-solver bench", "untrained-" + spec.architecture().id(),
                    spec, LabelRules.defaults(), Map.of(), Map.of(), Instant.now().toString());
            Weights.save(dir, manifest, block);
        }
        return dir;
    }
}
