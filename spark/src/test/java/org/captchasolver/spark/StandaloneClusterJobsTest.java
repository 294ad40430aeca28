package org.captchasolver.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The same jobs on a real standalone cluster on loopback: a master and two workers of one core each, as separate
 * JVMs started by {@code scripts/spark-cluster.sh} from the Spark jars alone. This JVM is the driver and ships
 * the project's jars (for its own module, packed from the build's classes) to the two executors.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandaloneClusterJobsTest extends SparkJobsTest {
    private Path clusterDir;

    @Override
    SparkSession startSession() throws Exception {
        clusterDir = tmp.resolve("cluster");
        Path jars = Files.createDirectories(tmp.resolve("spark-jars"));
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path jar = Path.of(entry);
            if (entry.endsWith(".jar") && Files.isRegularFile(jar) && !Files.exists(jars.resolve(jar.getFileName()))) {
                Files.createSymbolicLink(jars.resolve(jar.getFileName()), jar.toAbsolutePath());
            }
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String url = script("start", "--dir", clusterDir.toString(), "--jars", jars.toString(), "--port",
                String.valueOf(port), "--workers", "2", "--cores", "1", "--memory", "1g").strip();
        assertThat(url).isEqualTo("spark://127.0.0.1:" + port);
        return SparkSessions.start(url, Map.of("spark.executor.memory", "640m"), Duration.ofSeconds(90));
    }

    @Override
    void stopCluster() throws Exception {
        if (clusterDir != null) {
            script("stop", "--dir", clusterDir.toString());
        }
    }

    @Test
    @Order(Integer.MAX_VALUE) // after the jobs
    void theJobsRanOnTwoExecutorsInTheirOwnJvmsWithTheShippedJars() throws Exception {
        List<Path> executorLogs;
        try (var files = Files.walk(clusterDir)) {
            executorLogs = files.filter(f -> f.getFileName().toString().equals("stderr")).toList();
        }
        assertThat(executorLogs).hasSize(2);
        for (Path log : executorLogs) {
            String text = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(text).contains("CoarseGrainedExecutorBackend").contains("Fetching spark://").contains("captcha-");
            assertThat(text).containsPattern("Running task");
        }
    }

    private static String script(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", Path.of("..", "scripts", "spark-cluster.sh").toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
