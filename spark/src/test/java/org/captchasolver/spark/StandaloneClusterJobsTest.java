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
import org.captchasolver.augment.Augmentation;
import org.captchasolver.dataset.DatasetIndex;
import org.captchasolver.dataset.DatasetIndexer;
import org.captchasolver.dataset.IndexOptions;
import org.captchasolver.dataset.SplitRatios;
import org.captchasolver.model.Architecture;
import org.captchasolver.solve.CaptchaSolver;
import org.captchasolver.testing.TestModels;
import org.captchasolver.train.TrainConfig;
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
    @Order(Integer.MAX_VALUE - 1) // after the other jobs: it ships DJL and its natives to the executors
    void twoReplicasOnTwoExecutorsTrainOneNetworkOnHalvesOfTheDataAndSaveTheSameWeights() throws Exception {
        Path images = TestModels.generate(tmp.resolve("replica-data"), 240, 5);
        DatasetIndex index = new DatasetIndexer(IndexOptions.builder().ratios(new SplitRatios(0.75, 0.125, 0.125)).build())
                .index(images);
        Path indexDir = tmp.resolve("replica-index");
        index.write(indexDir);
        TrainConfig config = TrainConfig.builder().architecture(Architecture.CRNN).input(TestModels.CRNN_INPUT).epochs(3)
                .batchSize(16).learningRate(3e-3f).augmentation(Augmentation.NONE).earlyStopPatience(1000).maxMinutes(0)
                .seed(1).build();
        Path out = tmp.resolve("replica-run");

        List<ReplicaTraining.Outcome> outcomes = ReplicaTraining.run(spark, indexDir, config, out, 2, 3);

        assertThat(outcomes).extracting(ReplicaTraining.Outcome::rank).containsExactly(0, 1);
        ReplicaTraining.Outcome first = outcomes.get(0);
        ReplicaTraining.Outcome second = outcomes.get(1);
        assertThat(second.epochs()).isEqualTo(first.epochs()).isEqualTo(3);
        // 90 images a replica, 6 steps an epoch: steps 3 and 6, the weight average at each epoch's end, and the start.
        assertThat(second.syncs()).isEqualTo(first.syncs()).isEqualTo(1 + 3 * 3);
        assertThat(second.paramsSha256()).as("the replicas end with one network").isEqualTo(first.paramsSha256());
        assertThat(first.lastLoss()).isLessThan(first.firstLoss());
        assertThat(out.resolve("model.json")).exists();
        assertThat(out.resolve("model.onnx")).exists();
        try (CaptchaSolver solver = CaptchaSolver.load(out); var files = Files.list(images)) {
            Path one = files.filter(f -> f.toString().endsWith(".png")).findFirst().orElseThrow();
            assertThat(solver.solve(one).text()).as("the bundle replica 0 wrote loads and reads").isNotNull();
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
            assertThat(text).as("DJL's PyTorch natives shipped for the replicas").containsPattern("Fetching spark://\\S+/pytorch-native-cpu-");
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
