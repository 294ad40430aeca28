package org.captchasolver.cli;

import java.awt.image.BufferedImage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.captchasolver.server.ServerConfig;
import org.captchasolver.server.SolveServer;
import org.captchasolver.solve.CaptchaSolver;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code captcha bench}: solving speed through the same code paths users call: batch-1 latency
 * and batched throughput of the Java API in this process, then HTTP throughput and latency against
 * a real server on a loopback port under a bounded load (fixed clients, fixed duration).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure solving speed: API batch-1 latency, batched throughput, HTTP requests/s (loopback only).")
final class BenchCommand implements Callable<Integer> {
    @Mixin CaptchaCli.CommonOptions common = new CaptchaCli.CommonOptions();

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "DIR", description = "Model bundle.")
    Path model;

    @Option(names = {"-d", "--data"}, required = true, paramLabel = "DIR", description = "Folder of images to solve.")
    Path data;

    @Option(names = "--images", description = "Images to use (default: ${DEFAULT-VALUE}).")
    int count = 256;

    @Option(names = "--seconds", description = "Duration of the HTTP load (default: ${DEFAULT-VALUE}).")
    int seconds = 10;

    @Option(names = "--clients", description = "Concurrent HTTP clients (default: ${DEFAULT-VALUE}).")
    int clients = 8;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON.")
    Path json;

    @Override
    public Integer call() throws Exception {
        common.apply();
        List<Path> files = SolveCommand.expand(List.of(data)).stream().limit(count).toList();
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no images in " + data);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        try (CaptchaSolver solver = CaptchaSolver.load(model)) {
            List<BufferedImage> images = new ArrayList<>();
            for (Path f : files) {
                images.add(solver.decode(f));
            }
            for (int i = 0; i < Math.min(50, images.size()); i++) {
                solver.solve(images.get(i)); // warm-up: JIT and allocator
            }
            double[] ms = new double[images.size()];
            for (int i = 0; i < images.size(); i++) {
                long t0 = System.nanoTime();
                solver.solve(images.get(i));
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
            Arrays.sort(ms);
            out.put("apiBatch1P50Ms", pct(ms, 50));
            out.put("apiBatch1P99Ms", pct(ms, 99));
            solver.solveAll(images);
            long t0 = System.nanoTime();
            int rounds = 3;
            for (int r = 0; r < rounds; r++) {
                solver.solveAll(images);
            }
            out.put("apiBatchedImagesPerSecond", rounds * images.size() / ((System.nanoTime() - t0) / 1e9));
        }
        try (SolveServer server = SolveServer.start(ServerConfig.defaults(model).withPort(0))) {
            List<byte[]> bodies = new ArrayList<>();
            for (Path f : files) {
                bodies.add(Files.readAllBytes(f));
            }
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI uri = URI.create(server.url() + "/api/solve");
            AtomicLong ok = new AtomicLong();
            AtomicLong errors = new AtomicLong();
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            List<Future<List<Double>>> runs = new ArrayList<>();
            long start = System.nanoTime();
            for (int c = 0; c < clients; c++) {
                final int client = c;
                runs.add(pool.submit(() -> {
                    List<Double> lat = new ArrayList<>();
                    for (int i = client; System.nanoTime() < end; i += clients) {
                        long t = System.nanoTime();
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).header("Content-Type", "image/png")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(i % bodies.size()))).build(),
                                HttpResponse.BodyHandlers.ofString());
                        lat.add((System.nanoTime() - t) / 1e6);
                        (r.statusCode() == 200 ? ok : errors).incrementAndGet();
                    }
                    return lat;
                }));
            }
            List<Double> all = new ArrayList<>();
            for (Future<List<Double>> f : runs) {
                all.addAll(f.get());
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            pool.shutdown();
            double[] lat = all.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            out.put("httpClients", clients);
            out.put("httpRequestsPerSecond", (ok.get() + errors.get()) / elapsed);
            out.put("httpP50Ms", pct(lat, 50));
            out.put("httpP99Ms", pct(lat, 99));
            out.put("httpErrors", errors.get());
        }
        out.forEach((k, v) -> System.out.printf("%-28s %s%n", k, v instanceof Double d ? String.format("%.2f", d) : v));
        if (json != null) {
            org.captchasolver.util.AtomicFiles.writeJson(json, out);
        }
        return 0;
    }

    private static double pct(double[] sorted, double q) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(q / 100 * sorted.length) - 1)];
    }

}
