package org.captchasolver.cli;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import org.captchasolver.augment.Augmentation;
import org.captchasolver.bench.BenchData;
import org.captchasolver.bench.BenchReport;
import org.captchasolver.bench.InferenceBench;
import org.captchasolver.bench.MemoryBench;
import org.captchasolver.bench.OpProfile;
import org.captchasolver.bench.PeakFlops;
import org.captchasolver.bench.PipelineBench;
import org.captchasolver.bench.TrainStepBench;
import org.captchasolver.common.AtomicFiles;
import org.captchasolver.common.Parallel;
import org.captchasolver.dataset.DatasetIndex;
import org.captchasolver.model.Architecture;
import org.captchasolver.solve.Engine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code captcha bench}: the performance benchmark, through the product's own code paths: the
 * training data loader, the trainer's step, the solver, real training runs in child JVMs for
 * memory, and a real HTTP server. Writes {@code bench.json} and {@code bench.md}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure pipeline, training, inference, memory and HTTP speed; write bench.json and bench.md.")
final class BenchCommand implements Callable<Integer> {
    private static final List<String> SECTIONS = List.of("pipeline", "train", "profile", "inference", "memory", "http");
    /**
     * crnn steps before timing or profiling: oneDNN builds its backward primitives over the first few.
     * The timed rows then run 200 steps (single steps vary 55-150 ms; 40 gave +/-10% between runs).
     */
    private static final int CRNN_WARMUP_STEPS = 20;

    @Mixin CaptchaCli.CommonOptions common = new CaptchaCli.CommonOptions();

    @Option(names = "--only", split = ",", paramLabel = "SECTION",
            description = "Sections to run: pipeline, train, profile, inference, memory, http (default: all).")
    List<String> only = SECTIONS;

    @Option(names = "--arch", split = ",", paramLabel = "ARCH",
            description = "Architectures for train and inference: ${COMPLETION-CANDIDATES} (default: crnn,seed-cnn).")
    List<Architecture> archs = List.of(Architecture.CRNN, Architecture.SEED_CNN);

    @Option(names = "--engine", split = ",", paramLabel = "ENGINE",
            description = "Engines for inference and HTTP, side by side: onnx, pytorch (default: onnx,pytorch).")
    List<Engine> engines = List.of(Engine.ONNX, Engine.PYTORCH);

    @Option(names = "--batch", split = ",", description = "Training batch sizes (default: 32,64).")
    List<Integer> batches = List.of(32, 64);

    @Option(names = {"-m", "--model"}, paramLabel = "DIR",
            description = "A trained crnn bundle for inference and HTTP (default: an untrained one; speed does not depend on weights).")
    Path model;

    @Option(names = "--work", paramLabel = "DIR", description = "Generated data, kept between runs (default: <tmp>/captcha-bench).")
    Path work = Path.of(System.getProperty("java.io.tmpdir"), "captcha-bench");

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", description = "Where bench.json and bench.md go (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("bench-results");

    @Option(names = "--images", description = "Images for the pipeline and inference sections (default: ${DEFAULT-VALUE}).")
    int images = 2000;

    @Option(names = "--memory-images", description = "Indexed images for the memory runs (default: ${DEFAULT-VALUE}).")
    int memoryImages = 100_000;

    @Option(names = "--memory-copies", description = "The large memory run indexes this many times --memory-images paths (default: ${DEFAULT-VALUE}).")
    int memoryCopies = 10;

    @Option(names = "--memory-epochs", description = "Epochs of each memory run (default: ${DEFAULT-VALUE}).")
    int memoryEpochs = 10;

    @Option(names = "--memory-steps", description = "Steps per epoch of each memory run (default: ${DEFAULT-VALUE}).")
    int memorySteps = 20;

    @Option(names = "--seconds", description = "Duration of the HTTP load (default: ${DEFAULT-VALUE}).")
    int seconds = 10;

    @Option(names = "--clients", description = "Concurrent HTTP clients (default: ${DEFAULT-VALUE}).")
    int clients = 8;

    @Option(names = "--hostile", paramLabel = "N",
            description = "Hostile HTTP clients beside the good ones in the second HTTP row (default: ${DEFAULT-VALUE}).")
    int hostile = 8;

    @Override
    public Integer call() throws Exception {
        common.apply();
        for (String s : only) {
            if (!SECTIONS.contains(s)) {
                throw new IllegalArgumentException("--only: unknown section '" + s + "'; choose from " + SECTIONS);
            }
        }
        Set<String> run = Set.copyOf(only);
        List<Architecture> architectures = archs;
        BenchData data = new BenchData(work);
        BenchReport report = new BenchReport().meta("cpu", PeakFlops.cpuName()).meta("cores", Parallel.cores())
                .meta("java", System.getProperty("java.version"));
        long start = System.nanoTime();
        if (run.contains("pipeline")) {
            DatasetIndex png = data.png(images);
            DatasetIndex jpeg = data.jpeg(images);
            var shape = Architecture.CRNN.defaultInput();
            List<PipelineBench.Result> rows = new ArrayList<>();
            for (int threads : List.of(1, Parallel.cores())) {
                rows.add(PipelineBench.run(png, "png", shape, Augmentation.NONE, threads));
                rows.add(PipelineBench.run(jpeg, "jpeg", shape, Augmentation.NONE, threads));
            }
            rows.add(PipelineBench.run(png, "png", shape, Augmentation.DEFAULT, Parallel.cores()));
            report.section("pipeline (decode + resize + normalise, images/s)", rows);
            print(report);
        }
        // Latency first, while the process is fresh (no training-sized allocations yet).
        if (run.contains("inference") || run.contains("http")) {
            DatasetIndex png = data.png(images);
            List<Path> files = png.entries().stream().limit(256).map(png::pathOf).toList();
            List<BufferedImage> decoded = new ArrayList<>();
            for (Path f : files) {
                decoded.add(ImageIO.read(f.toFile()));
            }
            Path crnn = model != null ? model : InferenceBench.untrainedBundle(TrainStepBench.spec(Architecture.CRNN),
                    work.resolve("bundle-crnn"));
            if (run.contains("inference")) {
                List<InferenceBench.Result> rows = new ArrayList<>();
                for (Architecture a : architectures) {
                    for (Engine e : engines) {
                        if (a == Architecture.CRNN) {
                            rows.add(InferenceBench.run(crnn, e, files, decoded, 500, 20));
                        } else {
                            Path bundle = InferenceBench.untrainedBundle(TrainStepBench.spec(a), work.resolve("bundle-" + a.id()));
                            rows.add(InferenceBench.run(bundle, e, files, decoded.subList(0, 64), 20, 1));
                        }
                    }
                }
                report.section("inference through CaptchaSolver", rows);
                print(report);
            }
            if (run.contains("http")) {
                List<HttpLoad.Result> rows = new ArrayList<>();
                for (Engine e : engines) {
                    rows.add(HttpLoad.run(crnn, e, files, clients, 0, seconds));
                    rows.add(HttpLoad.run(crnn, e, files, clients, hostile, seconds));
                }
                report.section("HTTP /api/solve, loopback", rows);
                print(report);
            }
        }
        if (run.contains("train")) {
            PeakFlops.Result peak = PeakFlops.measure(2048, 10, 4);
            report.section("peak FLOP/s", List.of(peak));
            print(report);
            List<TrainStepBench.Result> rows = new ArrayList<>();
            for (Architecture a : architectures) {
                for (int b : batches) {
                    boolean big = a == Architecture.SEED_CNN;
                    rows.add(TrainStepBench.run(TrainStepBench.spec(a), b, big ? 1 : CRNN_WARMUP_STEPS, big ? Math.max(2, 128 / b) : 200, peak));
                }
            }
            report.section("training step (forward + backward + Adam)", rows);
            print(report);
        }
        if (run.contains("profile")) {
            List<OpProfile.Row> rows = new ArrayList<>();
            for (Architecture a : architectures) {
                boolean big = a == Architecture.SEED_CNN;
                int b = batches.get(0);
                rows.addAll(OpProfile.record(TrainStepBench.spec(a), b, big ? 1 : CRNN_WARMUP_STEPS, big ? 1 : 10, 12,
                        out.resolve("profile-" + a.id() + "-b" + b + ".trace.json")));
            }
            report.section("training step profile (PyTorch profiler, self time per operator)", rows);
            print(report);
        }
        if (run.contains("memory")) {
            DatasetIndex big = data.png(memoryImages);
            Path indexDir = work.resolve("png-" + memoryImages + "-index");
            Path many = work.resolve("paths-" + memoryImages * memoryCopies);
            if (!DatasetIndex.isIndexFolder(many.resolve("index"))) {
                MemoryBench.multiply(big, memoryCopies, many);
            }
            String main = CaptchaCli.class.getName();
            List<MemoryBench.Result> rows = new ArrayList<>();
            rows.add(MemoryBench.train(main, "generated images", indexDir, big.entries().size(), work.resolve("runs/memory-small"),
                    memoryEpochs, memorySteps));
            rows.add(MemoryBench.train(main, "generated paths", many.resolve("index"), big.entries().size() * memoryCopies,
                    work.resolve("runs/memory-large"), memoryEpochs, memorySteps));
            report.section("training memory, -Xmx2g, " + memoryEpochs + " epochs x " + memorySteps + " steps of 32", rows);
            print(report);
        }
        report.meta("seconds", Math.round((System.nanoTime() - start) / 1e9));
        Files.createDirectories(out);
        report.writeJson(out.resolve("bench.json"));
        AtomicFiles.writeString(out.resolve("bench.md"), report.markdown());
        System.out.println("Wrote " + out.resolve("bench.json") + " and " + out.resolve("bench.md"));
        return 0;
    }

    private static void print(BenchReport report) {
        System.out.print(report.lastSection());
    }
}
