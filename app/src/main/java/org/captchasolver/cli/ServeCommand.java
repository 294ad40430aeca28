package org.captchasolver.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.captchasolver.server.ServerConfig;
import org.captchasolver.server.SolveServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "HTTP service: POST /api/solve, /api/solve/batch; GET /health, /metrics, and a web page at /.")
final class ServeCommand implements Callable<Integer> {
    @Mixin CaptchaCli.CommonOptions common = new CaptchaCli.CommonOptions();

    @Mixin EngineOption engineOption = new EngineOption();

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "MODEL",
            description = "A run folder from 'captcha train', a zip of one, or an exported .onnx file.")
    Path model;

    @Option(names = "--host", description = "Address to bind (default: ${DEFAULT-VALUE}; use 0.0.0.0 to expose).")
    String host = "127.0.0.1";

    @Option(names = {"-p", "--port"}, description = "Port (default: ${DEFAULT-VALUE}; 0 = any free port).")
    int port = 8080;

    @Option(names = "--max-body", description = "Largest request body in bytes (default: ${DEFAULT-VALUE}).")
    long maxBody = ServerConfig.DEFAULT_MAX_BODY;

    @Option(names = "--max-pixels", paramLabel = "N", description = "Largest image in pixels, checked before decoding (default: ${DEFAULT-VALUE}).")
    long maxPixels = ServerConfig.DEFAULT_MAX_PIXELS;

    @Option(names = "--read-timeout", paramLabel = "SECONDS",
            description = "A client that sends nothing for this long gets 408 and is disconnected (default: ${DEFAULT-VALUE}).")
    long readTimeout = ServerConfig.DEFAULT_READ_TIMEOUT.toSeconds();

    @Option(names = "--stop-grace", paramLabel = "SECONDS",
            description = "On Ctrl-C or SIGTERM, stop accepting and wait this long for requests in flight (default: ${DEFAULT-VALUE}).")
    long stopGrace = ServerConfig.DEFAULT_STOP_GRACE.toSeconds();

    @Option(names = "--api-key-file", paramLabel = "FILE", description = "Require the key in this file (its first line) in "
            + "the X-API-Key header of every /api request. Behind TLS termination only: the key travels in clear otherwise.")
    Path apiKeyFile;

    private String apiKey() throws java.io.IOException {
        if (apiKeyFile == null) {
            return null;
        }
        if (!java.nio.file.Files.isRegularFile(apiKeyFile)) {
            throw new org.captchasolver.common.CaptchaException(apiKeyFile + " does not exist: --api-key-file needs a file with the key");
        }
        String key = java.nio.file.Files.readAllLines(apiKeyFile).stream().findFirst().orElse("").strip();
        if (key.length() < 16) {
            throw new org.captchasolver.common.CaptchaException(apiKeyFile + " holds a key of " + key.length()
                    + " characters: use at least 16 (e.g. openssl rand -hex 24)");
        }
        return key;
    }

    @Override
    public Integer call() throws Exception {
        common.apply();
        SolveServer server = SolveServer.start(ServerConfig.builder(model).engine(engineOption.engine).host(host).port(port).maxBodyBytes(maxBody)
                .maxPixels(maxPixels).readTimeout(java.time.Duration.ofSeconds(readTimeout))
                .stopGrace(java.time.Duration.ofSeconds(stopGrace)).apiKey(apiKey()).build());
        System.out.println("Serving " + model + " at " + server.url() + "  (Ctrl-C to stop)");
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stop.countDown();
        }));
        stop.await();
        return 0;
    }
}
