package org.captchasolver.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.captchasolver.dataset.DatasetIndex;
import org.captchasolver.dataset.DatasetIndexer;
import org.captchasolver.eda.EdaOptions;
import org.captchasolver.eda.EdaStats;
import org.captchasolver.spark.SparkEda;
import org.captchasolver.spark.SparkIndexer;
import org.captchasolver.spark.SparkSessions;
import org.captchasolver.spark.SparkSolve;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code captcha spark index|eda|solve}: the same jobs as the local commands, on Apache Spark. */
@Command(name = "spark", mixinStandardHelpOptions = true,
        description = "Index, explore and solve at scale on Apache Spark (embedded local[*] by default).",
        subcommands = {SparkCommand.Index.class, SparkCommand.Eda.class, SparkCommand.Solve.class})
final class SparkCommand implements Runnable {
    @Override
    public void run() {
        picocli.CommandLine.usage(this, System.out);
    }

    /** Where and how to run Spark. */
    static final class SparkOptions {
        @Option(names = "--master", description = "Spark master: local[*] (default), local[N], spark://host:7077, yarn, k8s://...")
        String master = "local[*]";

        @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "A Spark setting, e.g. spark.executor.memory=2g "
                + "(repeatable). On a cluster master the project's jars are shipped as spark.jars; a spark.jars given here is "
                + "shipped as well.")
        Map<String, String> conf = new LinkedHashMap<>();

        @Option(names = "--timeout", description = "Seconds to wait for the Spark session (default: ${DEFAULT-VALUE}).")
        long timeout = SparkSessions.DEFAULT_TIMEOUT.toSeconds();

        @Option(names = "--fallback-local", description = "If Spark cannot start in time, run the local implementation instead.")
        boolean fallbackLocal;

        /** Work for a live session. */
        interface Job {
            void run(SparkSession spark) throws Exception;
        }

        /** Work without Spark, for --fallback-local. */
        interface Local {
            void run() throws Exception;
        }

        /**
         * Runs {@code job} on a new session and stops it afterwards; if none can be had and
         * --fallback-local was given, runs {@code local} instead.
         */
        int run(Job job, Local local) throws Exception {
            SparkSession spark;
            try {
                spark = SparkSessions.start(master, conf, Duration.ofSeconds(timeout));
            } catch (SparkSessions.Unavailable e) {
                if (!fallbackLocal) {
                    throw e;
                }
                System.err.println("warning: " + e.getMessage().lines().findFirst().orElse("") + "; running locally instead");
                local.run();
                return 0;
            }
            try {
                job.run(spark);
            } catch (Exception e) {
                throw stoppedUnderneath(spark, e);
            } finally {
                spark.stop();
            }
            return 0;
        }

        /**
         * A job whose context stopped under it fails with whatever its next call met (a NullPointerException
         * inside Spark's planner, say); the likely cause is a task out of memory, after which Spark stops the JVM.
         */
        static Exception stoppedUnderneath(SparkSession spark, Exception e) {
            if (!spark.sparkContext().isStopped() || e instanceof org.captchasolver.common.CaptchaException) {
                return e;
            }
            return new org.captchasolver.common.CaptchaException("Spark stopped during the job (its ERROR lines above say why); "
                    + "after an OutOfMemoryError give the driver more heap (CAPTCHA_JAVA_OPTS=-Xmx8g; it holds Spark's listing, "
                    + "~1 GB a million files) or the executors more memory (--conf spark.executor.memory=2g)", e);
        }
    }

    @Command(name = "index", mixinStandardHelpOptions = true, description = "Index a folder or Hadoop URI: index.parquet + the local index's files.")
    static final class Index implements Callable<Integer> {
        @Mixin CaptchaCli.CommonOptions common = new CaptchaCli.CommonOptions();
        @Mixin LabelOptions labels = new LabelOptions();
        @Mixin SparkOptions sparkOptions = new SparkOptions();

        @Option(names = {"-d", "--data"}, required = true, paramLabel = "DIR|URI", description = "Images (searched recursively).")
        String data;

        @Option(names = {"-o", "--out"}, required = true, paramLabel = "DIR", description = "Index folder to write.")
        Path out;

        @Override
        public Integer call() throws Exception {
            common.apply();
            long t0 = System.nanoTime();
            return sparkOptions.run(spark -> {
                new SparkIndexer(labels.indexOptions()).index(spark, data, out);
                Datasets.report(DatasetIndex.read(out), out, (System.nanoTime() - t0) / 1e9, System.out);
            }, () -> {
                DatasetIndex index = new DatasetIndexer(labels.indexOptions()).index(Path.of(data));
                index.write(out);
                Datasets.report(index, out, (System.nanoTime() - t0) / 1e9, System.out);
            });
        }
    }

    @Command(name = "eda", mixinStandardHelpOptions = true, description = "EDA statistics over every image of a Spark index.")
    static final class Eda implements Callable<Integer> {
        @Mixin CaptchaCli.CommonOptions common = new CaptchaCli.CommonOptions();
        @Mixin SparkOptions sparkOptions = new SparkOptions();

        @Option(names = {"-i", "--index"}, required = true, paramLabel = "DIR", description = "Index folder from 'captcha spark index'.")
        Path index;

        @Option(names = {"-o", "--out"}, required = true, paramLabel = "DIR", description = "Output folder.")
        Path out;

        @Option(names = "--seed", description = "Seed of the sample grid (default: ${DEFAULT-VALUE}).")
        long seed = 42;

        @Override
        public Integer call() throws Exception {
            common.apply();
            long t0 = System.nanoTime();
            return sparkOptions.run(spark -> {
                EdaStats s = SparkEda.run(spark, index, out, seed);
                System.out.printf("EDA over all %d images in %.1f s: %d distinct characters, most common size %s. Written to %s%n",
                        s.images(), (System.nanoTime() - t0) / 1e9, s.distinctChars(), s.mostCommonSize(), out);
            }, () -> EdaCommand.run(DatasetIndex.read(index), new EdaOptions(Integer.MAX_VALUE, Integer.MAX_VALUE, 12, seed), out));
        }
    }

    @Command(name = "solve", mixinStandardHelpOptions = true, description = "Batch-solve a folder or URI into Parquet (file, text, confidence, truth, correct).")
    static final class Solve implements Callable<Integer> {
        @Mixin CaptchaCli.CommonOptions common = new CaptchaCli.CommonOptions();
        @Mixin SparkOptions sparkOptions = new SparkOptions();

        @Mixin EngineOption engineOption = new EngineOption();

        @Option(names = {"-m", "--model"}, required = true, paramLabel = "DIR", description = "Model bundle.")
        Path model;

        @Option(names = {"-d", "--data"}, required = true, paramLabel = "DIR|URI", description = "Images to solve.")
        String data;

        @Option(names = {"-o", "--out"}, required = true, paramLabel = "PATH", description = "Parquet output, e.g. results.parquet.")
        Path out;

        @Override
        public Integer call() throws Exception {
            common.apply();
            long t0 = System.nanoTime();
            return sparkOptions.run(spark -> {
                SparkSolve.Summary s = SparkSolve.run(spark, model, engineOption.engine, data, out);
                double secs = (System.nanoTime() - t0) / 1e9;
                System.out.printf("Solved %d images in %.1f s (%.0f images/s), %d unreadable; written to %s%n",
                        s.images(), secs, s.images() / secs, s.failed(), out);
                if (s.labelled() > 0) {
                    System.out.printf("Accuracy on the %d labelled images: %.2f%% (%d correct)%n", s.labelled(), 100 * s.accuracy(), s.correct());
                }
            }, () -> {
                throw new org.captchasolver.common.CaptchaException("no Spark session: use 'captcha solve' to solve on this machine");
            });
        }
    }
}
