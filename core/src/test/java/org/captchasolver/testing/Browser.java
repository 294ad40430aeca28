package org.captchasolver.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Debian's headless Chromium, as CI installs it. */
public final class Browser {
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    private Browser() {}

    /** Skips locally when Chromium is absent; in CI (CI=true) its absence fails the test. */
    public static void require() {
        if (System.getenv("CI") != null && !Files.isExecutable(CHROMIUM)) {
            throw new AssertionError("CI needs " + CHROMIUM + ": .ci/run installs it with apt-get");
        }
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), "chromium not installed");
    }

    public static List<String> flags(Path profile) {
        return List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile);
    }

    /** Loads the page, lets scripts run, and returns the DOM as Chromium sees it. */
    public static String dumpDom(String url, Path work) throws IOException, InterruptedException {
        return run(work, "--virtual-time-budget=5000", "--dump-dom", url);
    }

    public static void screenshot(String url, Path png, Path work) throws IOException, InterruptedException {
        run(work, "--window-size=1200,2000", "--screenshot=" + png, url);
    }

    private static String run(Path work, String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add(CHROMIUM.toString());
        cmd.addAll(flags(Files.createTempDirectory(work, "profile")));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("chromium timed out");
        }
        return out;
    }
}
