package org.captchasolver.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.captchasolver.common.CaptchaException;
import org.captchasolver.common.Json;
import org.captchasolver.dataset.DatasetIndex;
import org.captchasolver.solve.CaptchaSolver;
import org.captchasolver.testing.TestImages;
import org.captchasolver.testing.TestModels;
import org.captchasolver.train.RunFolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real server on a loopback port, with a 64 KB body limit and a 1-second read timeout so that the
 * abuse stays cheap, driven over raw sockets: what a hostile or careless client can send, byte for byte.
 */
class HostileClientsTest {
    static final long MAX_BODY = 64 * 1024;
    static Path model;
    static SolveServer server;
    static byte[] good;
    static String expected;

    @BeforeAll
    static void start() throws Exception {
        model = TestModels.sharedCrnn();
        DatasetIndex index = DatasetIndex.read(new RunFolder(model).index());
        Path image = index.pathOf(index.entries().get(0));
        good = Files.readAllBytes(image);
        try (CaptchaSolver solver = CaptchaSolver.load(model)) {
            expected = solver.solve(image).text();
        }
        server = SolveServer.start(ServerConfig.builder(model).port(0).maxBodyBytes(MAX_BODY)
                .readTimeout(Duration.ofSeconds(1)).build());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A status line, headers and body read off a socket. */
    record Response(int status, String headers, String body) {
        JsonNode json() throws IOException {
            return Json.MAPPER.readTree(body);
        }
    }

    @Test
    void aChunkedBodyPastTheLimitIsRefusedWith413BeforeItEnds() throws Exception {
        try (Socket s = socket()) {
            OutputStream out = s.getOutputStream();
            out.write(("POST /api/solve HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\nTransfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[16 * 1024];
            long sent = 0;
            // Up to 64 times the limit, stopping as soon as the server answers: it must not read it all.
            while (sent < 64 * MAX_BODY && s.getInputStream().available() == 0) {
                try {
                    out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException closed) {
                    break;
                }
                sent += chunk.length;
                Thread.sleep(1);
            }
            Response r = read(s);
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.json().get("error").asText()).contains("larger than " + MAX_BODY);
            assertThat(sent).as("bytes sent before the answer").isLessThan(32 * MAX_BODY);
        }
        assertThat(solveRaw().status()).as("the server still answers").isEqualTo(200);
    }

    @Test
    void malformedMultipartIs400AndOversizedMultipartIs413() throws Exception {
        Response noBoundary = send(request("POST", "/api/solve", "multipart/form-data", good));
        assertThat(noBoundary.status()).isEqualTo(400);
        assertThat(noBoundary.json().get("error").asText()).isNotBlank();

        byte[] unterminated = ("--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        Response open = send(request("POST", "/api/solve", "multipart/form-data; boundary=XyZ", concat(unterminated, good)));
        assertThat(open.status()).isEqualTo(400);

        byte[] big = new byte[(int) (2 * MAX_BODY)];
        byte[] whole = concat(concat(unterminated, big), "\r\n--XyZ--\r\n".getBytes(StandardCharsets.US_ASCII));
        Response large = send(requestChunked("/api/solve", "multipart/form-data; boundary=XyZ", whole));
        assertThat(large.status()).as(large.body()).isEqualTo(413);
        assertThat(large.json().get("status").asInt()).isEqualTo(413);
    }

    @Test
    void aBodyThatStallsIsAnswered408WithinTheReadTimeout() throws Exception {
        try (Socket s = socket()) {
            s.getOutputStream().write(("POST /api/solve HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\nContent-Length: 10000\r\n\r\nabcd")
                    .getBytes(StandardCharsets.US_ASCII));
            long t0 = System.nanoTime();
            Response r = read(s);
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertThat(r.status()).isEqualTo(408);
            assertThat(r.json().get("error").asText()).contains("did not arrive");
            assertThat(seconds).as("answered after the 1 s read timeout, not the default 30 s").isLessThan(8);
        }
    }

    @Test
    void errorsJettyAnswersItselfAreJsonToo() throws Exception {
        Response longUri = send(("GET /" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        assertThat(longUri.status()).isIn(414, 431);
        assertThat(longUri.headers()).containsIgnoringCase("application/json");
        assertThat(longUri.json().get("status").asInt()).isEqualTo(longUri.status());

        Response dots = send("GET /api/../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(dots.status()).isBetween(400, 499);
        assertThat(dots.headers()).containsIgnoringCase("application/json");
        assertThat(dots.json().get("error").asText()).isNotBlank();

        Response garbage = send("HELLO\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(garbage.status()).isEqualTo(400);
        assertThat(garbage.json().get("status").asInt()).isEqualTo(400);
    }

    @Test
    void imagesOverTheServicesPixelLimitAreRefusedFromTheirHeader() throws Exception {
        assertThat(ServerConfig.defaults(model).maxPixels()).isEqualTo(4_000_000);
        Response big = send(request("POST", "/api/solve", "image/png", TestImages.pngDeclaring(2100, 2000)));
        assertThat(big.status()).isEqualTo(400);
        assertThat(big.json().get("error").asText()).contains("too large");
    }

    @Test
    void aBadHostIsNamedAsSuch() {
        assertThatThrownBy(() -> SolveServer.start(ServerConfig.builder(model).port(0).host("999.1.1.1").build()))
                .isInstanceOf(CaptchaException.class).hasMessageContaining("999.1.1.1").hasMessageContaining("not an IP address");
        assertThatThrownBy(() -> SolveServer.start(ServerConfig.builder(model).port(0).host("192.0.2.7").build()))
                .isInstanceOf(CaptchaException.class).hasMessageContaining("not an address of this machine");
    }

    @Test
    void withAnApiKeyOnlyRequestsCarryingItAreSolved() throws Exception {
        try (SolveServer keyed = SolveServer.start(ServerConfig.builder(model).port(0).apiKey("k3y-0123456789abcdef").build())) {
            Response none = send(keyed.port(), request("POST", "/api/solve", "image/png", good));
            assertThat(none.status()).isEqualTo(401);
            assertThat(none.json().get("error").asText()).contains("X-API-Key");
            Response wrong = send(keyed.port(), request("POST", "/api/solve", "image/png", good, "X-API-Key: k3y-0123456789abcdeX"));
            assertThat(wrong.status()).isEqualTo(401);
            Response right = send(keyed.port(), request("POST", "/api/solve", "image/png", good, "X-API-Key: k3y-0123456789abcdef"));
            assertThat(right.status()).isEqualTo(200);
            assertThat(right.json().get("text").asText()).isEqualTo(expected);
            Response bearer = send(keyed.port(), request("POST", "/api/solve", "image/png", good,
                    "Authorization: Bearer k3y-0123456789abcdef"));
            assertThat(bearer.status()).isEqualTo(200);
            assertThat(send(keyed.port(), "GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII)).status())
                    .as("health stays open for probes").isEqualTo(200);
        }
    }

    /**
     * Four good clients and four hostile ones (garbage, oversized chunked bodies, malformed multipart) for
     * two seconds: every good request is answered 200 with the right text, every hostile one with a 4xx.
     */
    @Test
    void goodClientsAreServedCorrectlyWhileHostileOnesAreRefused() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger goodOk = new AtomicInteger();
        AtomicInteger goodBad = new AtomicInteger();
        AtomicInteger hostile4xx = new AtomicInteger();
        AtomicInteger hostileOther = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> clients = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            clients.add(pool.submit(() -> {
                while (running.get()) {
                    try {
                        Response r = solveRaw();
                        boolean right = r.status() == 200 && r.json().get("text").asText().equals(expected);
                        (right ? goodOk : goodBad).incrementAndGet();
                    } catch (IOException e) {
                        goodBad.incrementAndGet();
                    }
                }
                return null;
            }));
            int kind = c;
            clients.add(pool.submit(() -> {
                while (running.get()) {
                    try {
                        Response r = switch (kind) {
                            case 0 -> send(request("POST", "/api/solve", "image/png", "not a png".getBytes(StandardCharsets.US_ASCII)));
                            case 1 -> send(requestChunked("/api/solve", "image/png", new byte[(int) (3 * MAX_BODY)]));
                            case 2 -> send(request("POST", "/api/solve", "multipart/form-data", good));
                            default -> send(request("POST", "/api/solve", "application/json", "{\"image\": 5".getBytes(StandardCharsets.US_ASCII)));
                        };
                        (r.status() >= 400 && r.status() < 500 ? hostile4xx : hostileOther).incrementAndGet();
                    } catch (IOException e) {
                        hostile4xx.incrementAndGet(); // the server may close on a refused body: that is a refusal too
                    }
                }
                return null;
            }));
        }
        Thread.sleep(2000);
        running.set(false);
        for (Future<?> f : clients) {
            f.get();
        }
        pool.shutdown();
        assertThat(goodBad.get()).as("good requests that failed or read wrong").isZero();
        assertThat(goodOk.get()).isGreaterThan(20);
        assertThat(hostileOther.get()).as("hostile requests not answered with a 4xx").isZero();
        assertThat(hostile4xx.get()).isGreaterThan(20);
    }

    /**
     * Eight clients solving as fast as they can while the server stops: every request the server began
     * to handle is answered in full; the only failures are connections it no longer accepted.
     */
    @Test
    void stoppingUnderLoadFinishesEveryRequestInFlight() throws Exception {
        SolveServer stopping = SolveServer.start(ServerConfig.builder(model).port(0).stopGrace(Duration.ofSeconds(10)).build());
        int port = stopping.port();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger answered = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger lost = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> clients = new ArrayList<>();
        for (int c = 0; c < 8; c++) {
            clients.add(pool.submit(() -> {
                while (running.get()) {
                    Socket s;
                    try {
                        s = new Socket("127.0.0.1", port);
                    } catch (ConnectException e) {
                        refused.incrementAndGet();
                        Thread.sleep(5);
                        continue;
                    }
                    try (s) {
                        s.setSoTimeout(15_000);
                        s.getOutputStream().write(request("POST", "/api/solve", "image/png", good, "Connection: close"));
                        Response r = read(s);
                        (r.status() == 200 ? answered : lost).incrementAndGet();
                    } catch (IOException e) {
                        lost.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        Thread.sleep(1500);
        long handledBefore = stopping.requestsStarted();
        stopping.close();
        running.set(false);
        for (Future<?> f : clients) {
            f.get();
        }
        pool.shutdown();
        assertThat(handledBefore).isGreaterThan(20);
        assertThat(answered.get()).as("every request the server began was answered (lost %d)", lost.get())
                .isEqualTo(stopping.requestsStarted());
        assertThat(refused.get()).as("after the stop, connections are refused").isPositive();
    }

    static Socket socket() throws IOException {
        return socket(server.port());
    }

    static Socket socket(int port) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(15_000);
        return s;
    }

    static Response solveRaw() throws IOException {
        return send(request("POST", "/api/solve", "image/png", good));
    }

    static byte[] request(String method, String path, String type, byte[] body, String... headers) {
        StringBuilder h = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n");
        h.append("Content-Type: ").append(type).append("\r\nContent-Length: ").append(body.length).append("\r\n");
        for (String header : headers) {
            if (!header.startsWith("Connection")) {
                h.append(header).append("\r\n");
            }
        }
        return concat(h.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII), body);
    }

    static byte[] requestChunked(String path, String type, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("POST " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: " + type
                + "\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        for (int from = 0; from < body.length; from += 8192) {
            int n = Math.min(8192, body.length - from);
            out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, from, n);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    static Response send(byte[] raw) throws IOException {
        return send(server.port(), raw);
    }

    /** Writes the request (as much as the server takes before it answers) and reads the answer. */
    static Response send(int port, byte[] raw) throws IOException {
        try (Socket s = socket(port)) {
            try {
                s.getOutputStream().write(raw);
                s.getOutputStream().flush();
            } catch (IOException refusedMidway) {
                // The server answered and closed before taking everything: read what it said.
            }
            return read(s);
        }
    }

    static Response read(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) > 0; ) {
                all.write(buffer, 0, n);
                if (complete(all.toString(StandardCharsets.ISO_8859_1))) {
                    break;
                }
            }
        } catch (java.net.SocketException reset) {
            if (all.size() == 0) {
                throw reset;
            }
        }
        String text = all.toString(StandardCharsets.UTF_8);
        int headEnd = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.1 ") || headEnd < 0) {
            throw new IOException("no HTTP response: '" + text + "'");
        }
        String head = text.substring(0, headEnd);
        String body = text.substring(headEnd + 4);
        if (head.toLowerCase().contains("transfer-encoding: chunked")) {
            body = dechunk(body);
        }
        return new Response(Integer.parseInt(text.substring(9, 12)), head, body);
    }

    /** Whether a response is all there: its Content-Length reached, or its last chunk seen. */
    private static boolean complete(String text) {
        int headEnd = text.indexOf("\r\n\r\n");
        if (headEnd < 0) {
            return false;
        }
        String head = text.substring(0, headEnd).toLowerCase();
        int at = head.indexOf("content-length: ");
        if (at >= 0) {
            int end = head.indexOf("\r\n", at);
            long length = Long.parseLong(head.substring(at + 16, end < 0 ? head.length() : end).trim());
            return text.length() - headEnd - 4 >= length;
        }
        return head.contains("transfer-encoding: chunked") && text.endsWith("0\r\n\r\n");
    }

    private static String dechunk(String body) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < body.length()) {
            int eol = body.indexOf("\r\n", i);
            int n = Integer.parseInt(body.substring(i, eol).trim(), 16);
            if (n == 0) {
                break;
            }
            out.append(body, eol + 2, eol + 2 + n);
            i = eol + 2 + n + 2;
        }
        return out.toString();
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
