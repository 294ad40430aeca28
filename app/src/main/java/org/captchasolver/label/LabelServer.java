package org.captchasolver.label;

import io.javalin.Javalin;
import io.javalin.http.ContentType;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.captchasolver.common.CaptchaException;

/**
 * The labelling page on a loopback port: {@code GET /} the page, {@code GET /api/queue} the images with their
 * guesses and any label already given, {@code GET /image?file=F} an image of the queue (no other file is served),
 * {@code POST /api/label} {@code {"file","label"}} records an answer in {@code labels.csv} before it replies.
 */
public final class LabelServer implements AutoCloseable {
    /** Largest answer accepted: a label is a few characters. */
    private static final int MAX_BODY = 4096;

    private final Javalin app;
    private final String host;
    private final Path root;
    private final LabelStore store;
    private final Map<String, LabelQueue.Item> queue;

    private LabelServer(Path root, LabelStore store, List<LabelQueue.Item> items, String host, int port) {
        this.host = host;
        this.root = root;
        this.store = store;
        this.queue = items.stream().collect(Collectors.toMap(LabelQueue.Item::file, Function.identity(), (a, b) -> a,
                LinkedHashMap::new));
        this.app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.http.maxRequestSize = MAX_BODY;
            cfg.jetty.defaultHost = host;
            cfg.jetty.defaultPort = port;
        });
        app.get("/", ctx -> ctx.contentType(ContentType.TEXT_HTML).result(page()));
        app.get("/api/queue", this::queueJson);
        app.get("/image", this::image);
        app.post("/api/label", this::label);
        app.exception(IllegalArgumentException.class, (e, ctx) -> error(ctx, HttpStatus.BAD_REQUEST, e.getMessage()));
        app.exception(com.fasterxml.jackson.core.JacksonException.class,
                (e, ctx) -> error(ctx, HttpStatus.BAD_REQUEST, "the body must be JSON {\"file\": ..., \"label\": ...}"));
        app.exception(IOException.class, (e, ctx) -> error(ctx, HttpStatus.INTERNAL_SERVER_ERROR,
                "could not write " + store.file() + ": " + e.getMessage()));
    }

    /**
     * Starts serving.
     *
     * @param port 0 for any free port
     * @throws CaptchaException when the port cannot be opened
     */
    public static LabelServer start(Path root, LabelStore store, List<LabelQueue.Item> items, String host, int port) {
        LabelServer s = new LabelServer(root, store, items, host, port);
        try {
            s.app.start();
        } catch (RuntimeException e) {
            throw new CaptchaException("cannot listen on " + host + ":" + port + ": " + e.getMessage()
                    + " (choose another --port)", e);
        }
        return s;
    }

    /** The page's address. */
    public String url() {
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + app.port();
    }

    private void queueJson(Context ctx) {
        List<Map<String, Object>> items = queue.values().stream().map(i -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("file", i.file());
            m.put("guess", i.guess());
            m.put("confidence", i.confidence());
            m.put("label", store.get(i.file()));
            return m;
        }).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("folder", root.toString());
        body.put("labels", store.file().toString());
        body.put("items", items);
        ctx.json(body);
    }

    private void image(Context ctx) throws IOException {
        String file = ctx.queryParam("file");
        if (file == null || !queue.containsKey(file)) { // only the queue's images: no path reaches anything else
            error(ctx, HttpStatus.NOT_FOUND, "no image " + file + " in this queue");
            return;
        }
        Path path = root.resolve(file);
        String type = Files.probeContentType(path);
        ctx.contentType(type != null ? type : "application/octet-stream");
        ctx.header("Cache-Control", "no-store");
        try (InputStream in = Files.newInputStream(path)) {
            ctx.result(in.readAllBytes());
        }
    }

    private record Answer(String file, String label) {}

    private void label(Context ctx) throws IOException {
        Answer a = org.captchasolver.common.Json.MAPPER.readValue(ctx.body(), Answer.class);
        if (a.file() == null || !queue.containsKey(a.file())) {
            throw new IllegalArgumentException("'file' must be an image of this queue, got " + a.file());
        }
        if (a.label() == null) {
            throw new IllegalArgumentException("'label' is missing");
        }
        store.put(a.file(), a.label().strip());
        ctx.json(Map.of("file", a.file(), "label", a.label().strip(), "labelled", store.size()));
    }

    private static void error(Context ctx, HttpStatus status, String message) {
        ctx.status(status).json(Map.of("error", message, "status", status.getCode()));
    }

    private static String page() throws IOException {
        try (InputStream in = LabelServer.class.getResourceAsStream("/label/index.html")) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() {
        app.stop();
    }
}
