package org.captchasolver.spark;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.SparkSession;
import org.captchasolver.common.CaptchaException;

/**
 * Starts a Spark session with a deadline (the seed waits 20 s), quiet, on loopback in local mode.
 * {@code local[*]} embeds Spark in this JVM; {@code spark://}, {@code yarn} and {@code k8s://}
 * masters are passed through.
 */
public final class SparkSessions {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

    /** The session could not be had in time, or at all. */
    public static final class Unavailable extends CaptchaException {
        Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private SparkSessions() {}

    public static SparkSession start(String master, Duration timeout) {
        ExecutorService starter = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "spark-start");
            t.setDaemon(true);
            return t;
        });
        Future<SparkSession> f = starter.submit(() -> build(master));
        try {
            SparkSession s = f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            s.sparkContext().setLogLevel("ERROR");
            return s;
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new Unavailable("Spark (" + master + ") did not start within " + timeout.toSeconds()
                    + " s: check --master, or add --fallback-local to run on this machine without Spark", e);
        } catch (ExecutionException e) {
            throw new Unavailable("Spark (" + master + ") failed to start: " + e.getCause().getMessage()
                    + " (add --fallback-local to run without Spark)", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted while starting Spark", e);
        } finally {
            starter.shutdown();
        }
    }

    private static SparkSession build(String master) {
        SparkSession.Builder b = SparkSession.builder().appName("captcha-solver").master(master)
                .config("spark.ui.enabled", "false")
                .config("spark.ui.showConsoleProgress", "false")
                .config("spark.sql.session.timeZone", "UTC");
        if (master.startsWith("local")) {
            int cores = Runtime.getRuntime().availableProcessors();
            b.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.sql.shuffle.partitions", String.valueOf(Math.max(4, 2 * cores)))
                    // Heartbeats carry metrics to a UI that this embedded session does not run, and one
                    // that fires while stop() tears the session down prints a stack trace from inside
                    // Spark (ProcfsMetricsGetter finding no SparkEnv; seen in CI, in the next command's
                    // output). An interval beyond any local job means none is sent; the network timeout
                    // must stay above it.
                    .config("spark.executor.heartbeatInterval", "1h").config("spark.network.timeout", "2h");
        }
        return b.getOrCreate();
    }
}
