package org.captchasolver.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.captchasolver.bench.Percentiles;
import org.captchasolver.server.ServerConfig;
import org.captchasolver.server.SolveServer;

/** A bounded HTTP load (fixed clients, fixed duration) against a real server on a loopback port. */
final class HttpLoad {
    private HttpLoad() {}

    record Result(int clients, double seconds, long requests, long errors, double requestsPerSecond, double p50Ms,
                  double p99Ms) {}

    static Result run(Path model, List<Path> files, int clients, int seconds) throws Exception {
        List<byte[]> bodies = new ArrayList<>();
        for (Path f : files) {
            bodies.add(Files.readAllBytes(f));
        }
        try (SolveServer server = SolveServer.start(ServerConfig.defaults(model).withPort(0))) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI uri = URI.create(server.url() + "/api/solve");
            AtomicLong errors = new AtomicLong();
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            try {
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
                            if (r.statusCode() != 200) {
                                errors.incrementAndGet();
                            }
                        }
                        return lat;
                    }));
                }
                List<Double> all = new ArrayList<>();
                for (Future<List<Double>> f : runs) {
                    all.addAll(f.get());
                }
                double elapsed = (System.nanoTime() - start) / 1e9;
                double[] lat = all.stream().mapToDouble(Double::doubleValue).toArray();
                return new Result(clients, elapsed, lat.length, errors.get(), lat.length / elapsed, Percentiles.of(lat, 50),
                        Percentiles.of(lat, 99));
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
