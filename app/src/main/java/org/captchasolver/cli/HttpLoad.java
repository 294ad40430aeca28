package org.captchasolver.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
import org.captchasolver.solve.Engine;
import org.captchasolver.util.Memory;

/**
 * A bounded HTTP load (fixed clients, fixed duration) against a real server on a loopback port: good
 * clients solving images, and optionally hostile ones beside them (garbage bodies, chunked bodies four
 * times the limit, multipart without a boundary, broken JSON), whose every request should get a 4xx.
 */
final class HttpLoad {
    private HttpLoad() {}

    /**
     * @param errors      good requests not answered 200
     * @param hostile     requests the hostile clients sent
     * @param hostileNot4xx hostile requests answered with anything but a 4xx (a refusal by closing counts as one)
     * @param rssMb       this process's resident memory after the run (server and clients)
     */
    record Result(String engine, int clients, int hostileClients, double seconds, long requests, long errors, double requestsPerSecond,
                  double p50Ms, double p99Ms, long hostile, long hostileNot4xx, long rssMb) {}

    static Result run(Path model, List<Path> files, int clients, int seconds) throws Exception {
        return run(model, Engine.AUTO, files, clients, 0, seconds);
    }

    static Result run(Path model, Engine engine, List<Path> files, int clients, int hostileClients, int seconds) throws Exception {
        List<byte[]> bodies = new ArrayList<>();
        for (Path f : files) {
            bodies.add(Files.readAllBytes(f));
        }
        try (SolveServer server = SolveServer.start(ServerConfig.builder(model).engine(engine).port(0).build())) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI uri = URI.create(server.url() + "/api/solve");
            AtomicLong errors = new AtomicLong();
            AtomicLong hostile = new AtomicLong();
            AtomicLong hostileNot4xx = new AtomicLong();
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            ExecutorService pool = Executors.newFixedThreadPool(clients + hostileClients);
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
                List<Future<?>> attackers = new ArrayList<>();
                for (int c = 0; c < hostileClients; c++) {
                    final int kind = c;
                    attackers.add(pool.submit(() -> {
                        for (int i = kind; System.nanoTime() < end; i += hostileClients) {
                            hostile.incrementAndGet();
                            try {
                                int status = http.send(hostileRequest(uri, i % 4), HttpResponse.BodyHandlers.discarding()).statusCode();
                                if (status < 400 || status >= 500) {
                                    hostileNot4xx.incrementAndGet();
                                }
                            } catch (IOException refusedByClosing) {
                                // the server refused the body and closed the connection: a refusal, as wanted
                            }
                        }
                        return null;
                    }));
                }
                List<Double> all = new ArrayList<>();
                for (Future<List<Double>> f : runs) {
                    all.addAll(f.get());
                }
                for (Future<?> f : attackers) {
                    f.get();
                }
                double elapsed = (System.nanoTime() - start) / 1e9;
                double[] lat = all.stream().mapToDouble(Double::doubleValue).toArray();
                return new Result(server.engine().toString(), clients, hostileClients, elapsed, lat.length, errors.get(), lat.length / elapsed,
                        Percentiles.of(lat, 50), Percentiles.of(lat, 99), hostile.get(), hostileNot4xx.get(), Memory.rssMb());
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static HttpRequest hostileRequest(URI uri, int kind) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri);
        return switch (kind) {
            case 0 -> b.header("Content-Type", "image/png")
                    .POST(HttpRequest.BodyPublishers.ofByteArray("not an image".getBytes(StandardCharsets.US_ASCII))).build();
            // No length given, so the body goes chunked: only counting the bytes as they come can refuse it.
            case 1 -> b.header("Content-Type", "image/png").POST(HttpRequest.BodyPublishers.ofInputStream(
                    () -> new ByteArrayInputStream(new byte[(int) (4 * ServerConfig.DEFAULT_MAX_BODY)]))).build();
            case 2 -> b.header("Content-Type", "multipart/form-data")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[2048])).build();
            default -> b.header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"image\": ")).build();
        };
    }
}
