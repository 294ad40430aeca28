package org.captchasolver.spark;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;
import org.captchasolver.common.CaptchaException;

/**
 * Starts a Spark session with a deadline (the seed waits 20 s), quiet, on loopback in local mode.
 * {@code local[*]} embeds Spark in this JVM; on a cluster master ({@code spark://}, {@code yarn},
 * {@code k8s://}) the session ships {@link ExecutorJars} to the executors, and a standalone master on
 * loopback gets a driver on loopback too.
 */
public final class SparkSessions {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

    /** The session could not be had in time, or at all. */
    public static final class Unavailable extends CaptchaException {
        Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final Pattern LOOPBACK_MASTER = Pattern.compile("spark://(127\\.0\\.0\\.1|localhost):\\d+");

    private SparkSessions() {}

    /** A session with no settings of the caller's; see {@link #start(String, Map, Duration)}. */
    public static SparkSession start(String master, Duration timeout) {
        return start(master, Map.of(), timeout);
    }

    /**
     * Starts a session, or fails within {@code timeout}.
     *
     * @param master a Spark master URL
     * @param conf   Spark settings applied last (e.g. {@code spark.executor.memory}); a {@code spark.jars}
     *               here is shipped as well as ours
     * @throws Unavailable if no session could be had in time, or at all
     */
    public static SparkSession start(String master, Map<String, String> conf, Duration timeout) {
        ExecutorService starter = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "spark-start");
            t.setDaemon(true);
            return t;
        });
        Future<SparkSession> f = starter.submit(() -> build(master, conf));
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

    private static SparkSession build(String master, Map<String, String> conf) {
        SparkSession.Builder b = SparkSession.builder().appName("captcha-solver").master(master)
                .config("spark.ui.enabled", "false")
                .config("spark.ui.showConsoleProgress", "false")
                .config("spark.sql.session.timeZone", "UTC")
                // A CAPTCHA is a few KB: at Spark's 4 MB cost of opening a file, each task of the binaryFile reader
                // got 32 images (31,000 tasks for a million). At 64 KB, a task of Spark's 128 MB holds ~1,700
                // (~600 tasks for a million; 16 MB made 4,600, and every pass over them cost ~10 s in task overhead).
                .config("spark.sql.files.openCostInBytes", "65536");
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
        } else {
            List<String> jars = new ArrayList<>();
            ExecutorJars.paths().forEach(p -> jars.add(p.toUri().toString()));
            if (conf.containsKey("spark.jars")) {
                jars.add(conf.get("spark.jars"));
            }
            b.config("spark.jars", String.join(",", jars))
                    // Spark's 200 made each small sort of an index 200 tasks, and as many jobs when streamed back
                    // to the driver; 16 keeps 8 executor cores busy (more: --conf spark.sql.shuffle.partitions=N).
                    .config("spark.sql.shuffle.partitions", "16");
            if (LOOPBACK_MASTER.matcher(master).matches()) { // executors on this machine reach the driver here
                b.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1");
            }
        }
        conf.forEach((k, v) -> {
            if (!k.equals("spark.jars")) {
                b.config(k, v);
            }
        });
        return b.getOrCreate();
    }
}
