package org.captchasolver.server;

import java.nio.file.Path;
import java.time.Duration;
import org.captchasolver.solve.Engine;

/**
 * How to serve. Binds to loopback unless told otherwise: exposing a solver is the operator's choice.
 *
 * @param port         0 for any free port
 * @param maxBodyBytes largest request body, whatever its transfer encoding; a larger one gets 413
 * @param maxPixels    largest image accepted, checked from its header before decoding; CAPTCHAs are small
 * @param maxBatch     most images in one {@code /api/solve/batch} request
 * @param readTimeout  how long a connection may send nothing before its request is answered 408 and it is closed
 * @param stopGrace    how long a stopping server waits for requests in flight
 * @param engine       what runs the network ({@link Engine#AUTO}: ONNX Runtime when the bundle has {@code model.onnx})
 * @param apiKey       null for an open service; otherwise every {@code /api} request must carry it in
 *                     {@code X-API-Key} (or {@code Authorization: Bearer KEY})
 */
public record ServerConfig(Path model, String host, int port, long maxBodyBytes, long maxPixels, int maxBatch,
                           Duration readTimeout, Duration stopGrace, Engine engine, String apiKey) {
    public static final long DEFAULT_MAX_BODY = 1024 * 1024;
    /** 4 megapixels: a hundred times a large CAPTCHA, a fifth of the command line's limit for datasets. */
    public static final long DEFAULT_MAX_PIXELS = 4_000_000;
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(10);

    public ServerConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be 0-65535, got " + port);
        }
        if (maxBodyBytes < 1024) {
            throw new IllegalArgumentException("--max-body must be at least 1024 bytes");
        }
        if (maxPixels < 1) {
            throw new IllegalArgumentException("--max-pixels must be at least 1");
        }
        if (readTimeout.isNegative() || readTimeout.isZero()) {
            throw new IllegalArgumentException("--read-timeout must be positive");
        }
        if (engine == null) {
            engine = Engine.AUTO;
        }
        if (apiKey != null && apiKey.isBlank()) {
            throw new IllegalArgumentException("the API key is empty");
        }
    }

    /** Loopback, port 8080, 1 MB bodies, 4-megapixel images, 64 images a batch, 10 s to read, 10 s to stop, no key. */
    public static ServerConfig defaults(Path model) {
        return builder(model).build();
    }

    /** The defaults, to be changed one setting at a time. */
    public static Builder builder(Path model) {
        return new Builder(model);
    }

    /** Settings for {@link ServerConfig}; each starts at its default. */
    public static final class Builder {
        private final Path model;
        private String host = "127.0.0.1";
        private int port = 8080;
        private long maxBodyBytes = DEFAULT_MAX_BODY;
        private long maxPixels = DEFAULT_MAX_PIXELS;
        private int maxBatch = 64;
        private Duration readTimeout = DEFAULT_READ_TIMEOUT;
        private Duration stopGrace = DEFAULT_STOP_GRACE;
        private Engine engine = Engine.AUTO;
        private String apiKey;

        private Builder(Path model) {
            this.model = model;
        }

        public Builder host(String v) { host = v; return this; }
        public Builder port(int v) { port = v; return this; }
        public Builder maxBodyBytes(long v) { maxBodyBytes = v; return this; }
        public Builder maxPixels(long v) { maxPixels = v; return this; }
        public Builder maxBatch(int v) { maxBatch = v; return this; }
        public Builder readTimeout(Duration v) { readTimeout = v; return this; }
        public Builder stopGrace(Duration v) { stopGrace = v; return this; }
        public Builder engine(Engine v) { engine = v; return this; }
        public Builder apiKey(String v) { apiKey = v; return this; }

        /** @throws IllegalArgumentException naming the setting that is out of range */
        public ServerConfig build() {
            return new ServerConfig(model, host, port, maxBodyBytes, maxPixels, maxBatch, readTimeout, stopGrace, engine, apiKey);
        }
    }
}
