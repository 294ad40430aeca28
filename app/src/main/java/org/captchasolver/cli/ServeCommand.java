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

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "DIR", description = "Model bundle.")
    Path model;

    @Option(names = "--host", description = "Address to bind (default: ${DEFAULT-VALUE}; use 0.0.0.0 to expose).")
    String host = "127.0.0.1";

    @Option(names = {"-p", "--port"}, description = "Port (default: ${DEFAULT-VALUE}; 0 = any free port).")
    int port = 8080;

    @Option(names = "--max-body", description = "Largest request body in bytes (default: ${DEFAULT-VALUE}).")
    long maxBody = ServerConfig.DEFAULT_MAX_BODY;

    @Option(names = "--max-pixels", description = "Largest image in pixels (default: ${DEFAULT-VALUE}).")
    long maxPixels = org.captchasolver.image.ImageDecoder.DEFAULT_MAX_PIXELS;

    @Override
    public Integer call() throws Exception {
        common.apply();
        SolveServer server = SolveServer.start(new ServerConfig(model, host, port, maxBody, maxPixels, 64));
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
