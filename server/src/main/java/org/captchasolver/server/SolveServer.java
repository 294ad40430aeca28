package org.captchasolver.server;

import io.javalin.Javalin;
import io.javalin.http.ContentType;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.captchasolver.common.CaptchaException;
import org.captchasolver.common.Folders;
import org.captchasolver.common.Json;
import org.captchasolver.common.Parallel;
import org.captchasolver.solve.CaptchaSolver;
import org.captchasolver.solve.InvalidImageException;
import org.captchasolver.solve.Solution;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code captcha serve}: POST /api/solve and /api/solve/batch, GET /health, /metrics and the web
 * page at /. Bad input always gets a 4xx with a JSON {@code error}, never a 500. At most one
 * inference per core runs at a time (PyTorch is set to one thread per inference), so concurrent
 * requests spread over the cores instead of fighting over them, and requests that arrive together
 * are solved in one batch ({@link InferenceQueue}).
 */
public final class SolveServer implements AutoCloseable {
    private final ServerConfig config;
    private final CaptchaSolver solver;
    private final Javalin app;
    private final RequestMetrics metrics = new RequestMetrics();
    private final InferenceQueue queue;
    private final long started = System.currentTimeMillis();
    private final Semaphore decodes;
    private final Path multipartDir;
    private final AtomicLong requestsStarted = new AtomicLong();
    private static final Logger LOG = LoggerFactory.getLogger(SolveServer.class);

    private SolveServer(ServerConfig config, CaptchaSolver solver) {
        this.config = config;
        this.solver = solver;
        this.queue = new InferenceQueue(solver, Parallel.cores(), 32);
        this.decodes = new Semaphore(Parallel.cores());
        try {
            // Parts stay in memory up to the body limit; the parser still wants a folder for larger ones.
            this.multipartDir = Files.createTempDirectory("captcha-serve-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.http.maxRequestSize = config.maxBodyBytes();
            cfg.http.prefer405over404 = true;
            cfg.jetty.modifyServer(server -> {
                // Stopping waits this long for requests in flight (Javalin's server counts them) before it closes.
                server.setStopTimeout(config.stopGrace().toMillis());
                server.setErrorHandler(new JsonErrorHandler());
            });
            cfg.jetty.addConnector((server, http) -> {
                ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
                connector.setHost(config.host());
                connector.setPort(config.port());
                connector.setIdleTimeout(config.readTimeout().toMillis());
                return connector;
            });
        });
        app.get("/", ctx -> ctx.contentType(ContentType.TEXT_HTML).result(page()));
        app.get("/health", this::health);
        app.get("/metrics", ctx -> ctx.json(metrics.snapshot()));
        app.before("/api/*", this::authorise);
        app.post("/api/solve", ctx -> timed(ctx, () -> solveOne(ctx)));
        app.post("/api/solve/batch", ctx -> timed(ctx, () -> solveBatch(ctx)));
        app.exception(BadRequest.class, (e, ctx) -> error(ctx, e.status, e.getMessage()));
        app.exception(InvalidImageException.class, (e, ctx) -> error(ctx, HttpStatus.BAD_REQUEST, e.getMessage()));
        app.exception(io.javalin.http.HttpResponseException.class, (e, ctx) ->
                error(ctx, HttpStatus.forStatus(e.getStatus()), e.getMessage()));
        app.exception(Exception.class, (e, ctx) -> {
            LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
            error(ctx, HttpStatus.INTERNAL_SERVER_ERROR, "internal error: " + e.getMessage());
        });
        app.error(404, ctx -> {
            String type = ctx.res().getContentType();
            if (ctx.result() == null || type == null || !type.contains("json")) {
                error(ctx, HttpStatus.NOT_FOUND, "no route " + ctx.method() + " " + ctx.path());
            }
        });
        app.error(405, ctx -> error(ctx, HttpStatus.METHOD_NOT_ALLOWED, ctx.method() + " is not allowed on " + ctx.path()));
        app.error(413, ctx -> error(ctx, HttpStatus.CONTENT_TOO_LARGE, "request body larger than " + config.maxBodyBytes() + " bytes"));
    }

    /**
     * Loads the model and starts listening.
     *
     * @throws CaptchaException when the model cannot be loaded, the host is not an address of
     *                                                  this machine, or the port is taken
     */
    public static SolveServer start(ServerConfig config) throws IOException {
        checkHost(config.host());
        // One intra-op thread per inference; parallelism comes from concurrent requests.
        System.setProperty("ai.djl.pytorch.num_threads", "1");
        if (System.getProperty("captcha.onnx.threads") == null) {
            System.setProperty("captcha.onnx.threads", "1");
        }
        CaptchaSolver solver = CaptchaSolver.load(config.model(), config.engine(), config.maxPixels());
        SolveServer server = new SolveServer(config, solver);
        try {
            server.app.start();
        } catch (RuntimeException e) {
            server.release();
            throw new CaptchaException("cannot listen on " + config.host() + ":" + config.port()
                    + ": " + e.getMessage() + " (choose another --port)", e);
        }
        return server;
    }

    /** A bad {@code --host} is named as such, not reported as a busy port when binding fails. */
    private static void checkHost(String host) {
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new CaptchaException("cannot listen on " + host
                    + ": not an IP address or a host name this machine can resolve (--host 127.0.0.1 for loopback)");
        }
        try {
            if (!address.isAnyLocalAddress() && NetworkInterface.getByInetAddress(address) == null) {
                throw new CaptchaException("cannot listen on " + host + ": " + address.getHostAddress()
                        + " is not an address of this machine (--host 127.0.0.1 for loopback, 0.0.0.0 for every interface)");
            }
        } catch (SocketException e) {
            throw new CaptchaException("cannot list this machine's addresses: " + e.getMessage(), e);
        }
    }

    public int port() {
        return app.port();
    }

    /** The engine that runs the model: ONNX Runtime or PyTorch. */
    public org.captchasolver.solve.Engine engine() {
        return solver.engine();
    }

    public String url() {
        return "http://" + config.host() + ":" + port();
    }

    private interface Handler {
        int handle() throws Exception;
    }

    /** Requests that reached a solving route since the server started (answered or not yet). */
    public long requestsStarted() {
        return requestsStarted.get();
    }

    private void timed(Context ctx, Handler h) throws Exception {
        requestsStarted.incrementAndGet();
        long t0 = System.nanoTime();
        boolean error = true;
        int images = 0;
        try {
            images = h.handle();
            error = false;
        } finally {
            metrics.record((System.nanoTime() - t0) / 1e6, error, images);
        }
    }

    private int solveOne(Context ctx) throws Exception {
        List<byte[]> images = images(ctx);
        if (images.size() != 1) {
            throw new BadRequest("send exactly one image to /api/solve (got " + images.size() + "); use /api/solve/batch for several");
        }
        long t0 = System.nanoTime();
        Solution s = solve(images.get(0));
        ctx.json(body(s, (System.nanoTime() - t0) / 1e6));
        return 1;
    }

    private int solveBatch(Context ctx) throws Exception {
        List<byte[]> images = images(ctx);
        if (images.isEmpty()) {
            throw new BadRequest("no images: send multipart files or JSON {\"images\": [\"<base64>\", ...]}");
        }
        if (images.size() > config.maxBatch()) {
            throw new BadRequest("at most " + config.maxBatch() + " images per batch, got " + images.size());
        }
        long t0 = System.nanoTime();
        List<Object> results = new ArrayList<>();
        List<java.awt.image.BufferedImage> decoded = new ArrayList<>();
        List<Integer> where = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            try {
                decoded.add(decode(images.get(i)));
                where.add(i);
                results.add(null);
            } catch (InvalidImageException e) {
                results.add(Map.of("error", e.getMessage()));
            }
        }
        List<java.util.concurrent.CompletableFuture<Solution>> pending = decoded.stream().map(queue::submit).toList();
        List<Solution> solved = new ArrayList<>();
        for (var p : pending) {
            solved.add(p.get());
        }
        double ms = (System.nanoTime() - t0) / 1e6;
        for (int k = 0; k < solved.size(); k++) {
            results.set(where.get(k), body(solved.get(k), ms));
        }
        ctx.json(Map.of("results", results, "ms", ms));
        return solved.size();
    }

    private Solution solve(byte[] image) throws Exception {
        return queue.submit(decode(image)).get();
    }

    /** At most one decode per core at a time: a flood of large images waits instead of filling the heap. */
    private java.awt.image.BufferedImage decode(byte[] image) throws InterruptedException {
        decodes.acquire();
        try {
            return solver.decode(image);
        } finally {
            decodes.release();
        }
    }

    /** The images of a request: raw body, multipart files, or JSON with base64. */
    private List<byte[]> images(Context ctx) throws IOException {
        String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(java.util.Locale.ROOT);
        if (ctx.req().getContentLengthLong() > config.maxBodyBytes()) {
            throw tooLarge();
        }
        if (type.startsWith("multipart/")) {
            return multipart(ctx);
        }
        byte[] body = BoundedBody.read(ctx.req().getInputStream(), config.maxBodyBytes(), config.readTimeout());
        if (body.length == 0) {
            throw new BadRequest("empty request body: send an image (raw, multipart, or JSON {\"image\": \"<base64>\"})");
        }
        if (type.startsWith("application/json")) {
            return fromJson(body);
        }
        if (!type.isEmpty() && !type.startsWith("image/") && !type.startsWith("application/octet-stream")) {
            throw new BadRequest("unsupported content type '" + ctx.contentType()
                    + "': send image/*, application/octet-stream, multipart/form-data or application/json");
        }
        return List.of(body);
    }

    /**
     * Multipart files, parsed here from a stream that counts its bytes against the body limit, whatever the
     * transfer encoding: the framework's own multipart limits are one setting per JVM, not per server.
     */
    private List<byte[]> multipart(Context ctx) throws IOException {
        InputStream body = BoundedBody.limited(ctx.req().getInputStream(), config.maxBodyBytes());
        int limit = (int) Math.min(Integer.MAX_VALUE, config.maxBodyBytes());
        var parser = new org.eclipse.jetty.server.MultiPartFormInputStream(body, ctx.contentType(),
                new jakarta.servlet.MultipartConfigElement(multipartDir.toString(), limit, limit, limit), multipartDir.toFile());
        try {
            List<byte[]> out = new ArrayList<>();
            for (jakarta.servlet.http.Part part : parser.getParts()) {
                if (part.getSubmittedFileName() != null) {
                    try (InputStream in = part.getInputStream()) {
                        out.add(in.readAllBytes());
                    }
                }
            }
            return out;
        } catch (Exception e) {
            throw BoundedBody.classify(e, config.maxBodyBytes(), config.readTimeout());
        } finally {
            parser.deleteParts();
        }
    }

    private BadRequest tooLarge() {
        return new BadRequest(HttpStatus.CONTENT_TOO_LARGE, "request body larger than " + config.maxBodyBytes() + " bytes");
    }

    /** With an API key configured, /api requests must carry it; compared in constant time. */
    private void authorise(Context ctx) {
        if (config.apiKey() == null) {
            return;
        }
        String given = ctx.header("X-API-Key");
        String auth = ctx.header("Authorization");
        if (given == null && auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            given = auth.substring(7).trim();
        }
        byte[] expected = config.apiKey().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] actual = given == null ? new byte[0] : given.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (!java.security.MessageDigest.isEqual(expected, actual)) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw new BadRequest(HttpStatus.UNAUTHORIZED, given == null
                    ? "this service needs an API key: send it in the X-API-Key header" : "wrong API key");
        }
    }

    private static List<byte[]> fromJson(byte[] body) {
        com.fasterxml.jackson.databind.JsonNode node;
        try {
            node = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new BadRequest("body is not valid JSON");
        }
        List<String> encoded = new ArrayList<>();
        if (node.hasNonNull("image")) {
            encoded.add(node.get("image").asText());
        } else if (node.has("images") && node.get("images").isArray()) {
            node.get("images").forEach(n -> encoded.add(n.asText()));
        } else {
            throw new BadRequest("JSON needs \"image\": \"<base64>\" (or \"images\": [...] for a batch)");
        }
        List<byte[]> out = new ArrayList<>();
        for (String s : encoded) {
            String data = s.startsWith("data:") && s.contains(",") ? s.substring(s.indexOf(',') + 1) : s;
            try {
                out.add(Base64.getMimeDecoder().decode(data));
            } catch (IllegalArgumentException e) {
                throw new BadRequest("\"image\" is not valid base64");
            }
        }
        return out;
    }

    private static Map<String, Object> body(Solution s, double ms) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("text", s.text());
        m.put("confidence", s.confidence());
        List<Map<String, Object>> chars = new ArrayList<>();
        for (Solution.CharConfidence c : s.chars()) {
            chars.add(Map.of("char", c.character(), "confidence", c.confidence()));
        }
        m.put("chars", chars);
        m.put("ms", ms);
        return m;
    }

    private void health(Context ctx) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", "ok");
        m.put("model", solver.manifest().name());
        m.put("architecture", solver.manifest().spec().architecture().id());
        m.put("version", solver.manifest().producer());
        m.put("formatVersion", solver.manifest().formatVersion());
        m.put("uptimeSeconds", (System.currentTimeMillis() - started) / 1000.0);
        ctx.json(m);
    }

    private static void error(Context ctx, HttpStatus status, String message) {
        ctx.status(status).json(Map.of("error", message == null ? status.getMessage() : message, "status", status.getCode()));
    }

    private static String page() throws IOException {
        try (InputStream in = SolveServer.class.getResourceAsStream("/web/index.html")) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** A client mistake, answered with a 4xx (400 unless said otherwise). */
    static final class BadRequest extends RuntimeException {
        final HttpStatus status;

        BadRequest(String message) {
            this(HttpStatus.BAD_REQUEST, message);
        }

        BadRequest(HttpStatus status, String message) {
            super(message);
            this.status = status;
        }
    }

    /** Stops accepting, waits up to the stop grace for requests in flight, then frees the model. */
    @Override
    public void close() {
        app.stop();
        release();
    }

    private void release() {
        queue.close();
        solver.close();
        try {
            Folders.deleteRecursively(multipartDir);
        } catch (IOException e) {
            LOG.warn("could not remove {}: {}", multipartDir, e.getMessage());
        }
    }
}
