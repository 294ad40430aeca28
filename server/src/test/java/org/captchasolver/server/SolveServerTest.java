package org.captchasolver.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.captchasolver.common.Json;
import org.captchasolver.dataset.DatasetIndex;
import org.captchasolver.solve.CaptchaSolver;
import org.captchasolver.testing.TestImages;
import org.captchasolver.testing.TestModels;
import org.captchasolver.train.RunFolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A real server on an ephemeral loopback port, called over HTTP. */
class SolveServerTest {
    static SolveServer server;
    static HttpClient http = HttpClient.newHttpClient();
    static List<Path> images;
    static String expected;

    @BeforeAll
    static void start() throws Exception {
        Path model = TestModels.sharedCrnn();
        DatasetIndex index = DatasetIndex.read(new RunFolder(model).index());
        images = index.entries().stream().limit(3).map(index::pathOf).toList();
        try (CaptchaSolver solver = CaptchaSolver.load(model)) {
            expected = solver.solve(images.get(0)).text();
        }
        server = SolveServer.start(ServerConfig.builder(model).port(0).build());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<String> post(String path, String type, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (type != null) {
            b.header("Content-Type", type);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return Json.MAPPER.readTree(r.body());
    }

    @Test
    void bindsToLoopback() {
        assertThat(server.url()).startsWith("http://127.0.0.1:");
    }

    @Test
    void solvesRawMultipartAndBase64Bodies() throws Exception {
        byte[] png = Files.readAllBytes(images.get(0));
        HttpResponse<String> raw = post("/api/solve", "image/png", png);
        assertThat(raw.statusCode()).isEqualTo(200);
        JsonNode j = json(raw);
        assertThat(j.get("text").asText()).isEqualTo(expected);
        assertThat(j.get("confidence").asDouble()).isBetween(0.0, 1.0);
        assertThat(j.get("chars")).hasSize(expected.length());
        assertThat(j.get("ms").asDouble()).isPositive();

        String b64 = "{\"image\":\"" + Base64.getEncoder().encodeToString(png) + "\"}";
        assertThat(json(post("/api/solve", "application/json", b64.getBytes())).get("text").asText()).isEqualTo(expected);

        String boundary = "----captcha" + System.nanoTime();
        byte[] multipart = multipart(boundary, png);
        HttpResponse<String> mp = post("/api/solve", "multipart/form-data; boundary=" + boundary, multipart);
        assertThat(mp.statusCode()).as(mp.body()).isEqualTo(200);
        assertThat(json(mp).get("text").asText()).isEqualTo(expected);
    }

    @Test
    void batchAnswersEachImageAndReportsBadOnesInPlace() throws Exception {
        StringBuilder body = new StringBuilder("{\"images\":[");
        for (Path p : images) {
            body.append('"').append(Base64.getEncoder().encodeToString(Files.readAllBytes(p))).append("\",");
        }
        body.append("\"").append(Base64.getEncoder().encodeToString("junk".getBytes())).append("\"]}");
        HttpResponse<String> r = post("/api/solve/batch", "application/json", body.toString().getBytes());
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode results = json(r).get("results");
        assertThat(results).hasSize(4);
        assertThat(results.get(0).get("text").asText()).isEqualTo(expected);
        assertThat(results.get(3).get("error").asText()).contains("not an image");
    }

    @Test
    void badInputGets4xxWithJsonErrorNever500() throws Exception {
        HttpResponse<String> garbage = post("/api/solve", "image/png", "definitely not a png".getBytes());
        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(json(garbage).get("error").asText()).contains("not an image");

        HttpResponse<String> empty = post("/api/solve", "image/png", new byte[0]);
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(json(empty).get("error").asText()).contains("empty");

        HttpResponse<String> truncated = post("/api/solve", "image/png",
                java.util.Arrays.copyOf(Files.readAllBytes(images.get(1)), 200));
        assertThat(truncated.statusCode()).isEqualTo(400);

        HttpResponse<String> bomb = post("/api/solve", "image/png", TestImages.pngDeclaring(60_000, 60_000));
        assertThat(bomb.statusCode()).isEqualTo(400);
        assertThat(json(bomb).get("error").asText()).contains("too large");

        HttpResponse<String> huge = post("/api/solve", "image/png", new byte[2 * 1024 * 1024]);
        assertThat(huge.statusCode()).isEqualTo(413);
        assertThat(json(huge).get("error").asText()).contains("larger than");

        HttpResponse<String> type = post("/api/solve", "text/plain", "hello".getBytes());
        assertThat(type.statusCode()).isEqualTo(400);
        assertThat(json(type).get("error").asText()).contains("content type");

        HttpResponse<String> badJson = post("/api/solve", "application/json", "{\"image\": 12".getBytes());
        assertThat(badJson.statusCode()).isEqualTo(400);

        HttpResponse<String> notFound = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/nope")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(json(notFound).get("error").asText()).contains("/nope");

        HttpResponse<String> wrongMethod = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/solve")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
    }

    @Test
    void healthAndMetricsDescribeTheService() throws Exception {
        post("/api/solve", "image/png", Files.readAllBytes(images.get(0)));
        post("/api/solve", "image/png", "x".getBytes());
        JsonNode health = Json.MAPPER.readTree(http.send(HttpRequest.newBuilder(URI.create(server.url() + "/health")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertThat(health.get("status").asText()).isEqualTo("ok");
        assertThat(health.get("model").asText()).isEqualTo("run");
        assertThat(health.get("uptimeSeconds").asDouble()).isGreaterThanOrEqualTo(0);
        JsonNode metrics = Json.MAPPER.readTree(http.send(HttpRequest.newBuilder(URI.create(server.url() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertThat(metrics.get("requests").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(metrics.get("errors").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(metrics.get("latencyMs").get("p99").asDouble()).isPositive();
    }

    @Test
    void concurrentRequestsAllSucceedWithTheSameAnswer() throws Exception {
        byte[] png = Files.readAllBytes(images.get(0));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<HttpResponse<String>>> calls = new java.util.ArrayList<>();
            for (int i = 0; i < 40; i++) {
                calls.add(pool.submit(() -> post("/api/solve", "image/png", png)));
            }
            for (var c : calls) {
                HttpResponse<String> r = c.get();
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(json(r).get("text").asText()).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static byte[] multipart(String boundary, byte[] png) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"c.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(png);
        out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }
}
