package org.captchasolver.server;

import java.nio.file.Path;
import org.captchasolver.image.ImageDecoder;

/**
 * How to serve. Binds to loopback unless told otherwise: exposing a solver is the operator's choice.
 *
 * @param port 0 for any free port
 */
public record ServerConfig(Path model, String host, int port, long maxBodyBytes, long maxPixels, int maxBatch) {
    public static final long DEFAULT_MAX_BODY = 1024 * 1024;

    public ServerConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be 0-65535, got " + port);
        }
        if (maxBodyBytes < 1024) {
            throw new IllegalArgumentException("--max-body must be at least 1024 bytes");
        }
    }

    public static ServerConfig defaults(Path model) {
        return new ServerConfig(model, "127.0.0.1", 8080, DEFAULT_MAX_BODY, ImageDecoder.DEFAULT_MAX_PIXELS, 64);
    }

    public ServerConfig withPort(int p) {
        return new ServerConfig(model, host, p, maxBodyBytes, maxPixels, maxBatch);
    }
}
