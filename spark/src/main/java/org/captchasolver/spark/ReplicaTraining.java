package org.captchasolver.spark;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.captchasolver.common.Json;
import org.captchasolver.dataset.DatasetIndex;
import org.captchasolver.model.ModelBundle;
import org.captchasolver.train.Replica;
import org.captchasolver.train.TrainConfig;
import org.captchasolver.train.TrainingRun;

/**
 * A prototype of data-parallel training on Spark (docs/scaling.md): a barrier stage with one task per replica, each
 * running the ordinary training loop on its shard of the training split ({@link Replica}) and averaging the weights
 * with the others through {@link BarrierTaskContext#allGather} every few hundred steps and at each epoch's end.
 * Replica 0 writes the model into the output folder, which the executors must reach (a shared or local disk).
 *
 * <p>{@code java -cp 'app/target/lib/*' org.captchasolver.spark.ReplicaTraining MASTER INDEX OUT [REPLICAS
 * [SYNC_EVERY [EPOCHS]]]}, or {@code scripts/spark-cluster.sh replicas INDEX OUT ...} on the loopback cluster.
 */
public final class ReplicaTraining {
    /**
     * What one replica did: its synchronisations and their cost, and how its run ended.
     *
     * @param firstLoss    the training loss of its first epoch
     * @param lastLoss     that of its last
     * @param paramsSha256 the SHA-256 of the weights it saved: the same in every replica
     */
    public record Outcome(int rank, int syncs, double syncSeconds, double seconds, int epochs, double bestValSeqAcc,
            double firstLoss, double lastLoss, String paramsSha256, String stopReason) implements java.io.Serializable {
        @Override
        public String toString() {
            return String.format("replica %d: %d epochs in %.1f s, %d synchronisations taking %.1f s (%.0f ms each), "
                            + "best validation %.2f%%, %s", rank, epochs, seconds, syncs, syncSeconds,
                    1000 * syncSeconds / Math.max(1, syncs), 100 * bestValSeqAcc, stopReason);
        }
    }

    private ReplicaTraining() {}

    /**
     * Runs the measurement and prints one line per replica.
     *
     * @param args master URL, index folder, output run folder, then optionally replicas (2), steps between
     *             synchronisations (300) and epochs (10)
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: ReplicaTraining MASTER INDEX OUT [REPLICAS [SYNC_EVERY [EPOCHS]]]");
            System.exit(2);
        }
        int replicas = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        int syncEvery = args.length > 4 ? Integer.parseInt(args[4]) : 300;
        int epochs = args.length > 5 ? Integer.parseInt(args[5]) : 10;
        TrainConfig config = TrainConfig.builder().epochs(epochs).maxMinutes(0).build();
        SparkSession spark = SparkSessions.start(args[0], Map.of(), Duration.ofSeconds(90));
        try {
            long t0 = System.nanoTime();
            List<Outcome> outcomes = run(spark, Path.of(args[1]), config, Path.of(args[2]), replicas, syncEvery);
            System.out.printf("%s, %d replicas, sync every %d steps, %d epochs: %.1f s%n", args[0], replicas, syncEvery,
                    epochs, (System.nanoTime() - t0) / 1e9);
            outcomes.forEach(System.out::println);
        } finally {
            spark.stop();
        }
    }

    /**
     * Trains {@code replicas} replicas together and returns what each did.
     *
     * @param index     an index folder ({@code captcha index}) every executor can read
     * @param config    the recipe; its time budget must be 0 (see {@link Replica})
     * @param out       the run folder replica 0 writes, the model included
     * @param syncEvery optimiser steps between weight averages
     */
    public static List<Outcome> run(SparkSession spark, Path index, TrainConfig config, Path out, int replicas,
            int syncEvery) {
        TrainingRun.requireFresh(out);
        if (!spark.sparkContext().master().startsWith("local")) {
            for (Path jar : trainingJars()) {
                spark.sparkContext().addJar(jar.toUri().toString());
            }
        }
        String indexDir = index.toAbsolutePath().toString();
        String outDir = out.toAbsolutePath().toString();
        String recipe; // sent as the JSON a run folder keeps it in
        try {
            recipe = Json.MAPPER.writeValueAsString(config);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        scala.Function1<scala.collection.Iterator<Integer>, scala.collection.Iterator<Outcome>> task =
                (scala.Function1<scala.collection.Iterator<Integer>, scala.collection.Iterator<Outcome>> & java.io.Serializable)
                        it -> scala.jdk.javaapi.CollectionConverters.asScala(
                                List.of(train(indexDir, recipe, outDir, replicas, syncEvery)).iterator());
        Outcome[] outcomes = (Outcome[]) JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(IntStream.range(0, replicas).boxed().toList(), replicas).rdd().barrier()
                .mapPartitions(task, false, scala.reflect.ClassTag$.MODULE$.apply(Outcome.class)).collect();
        List<Outcome> sorted = new ArrayList<>(List.of(outcomes));
        sorted.sort(Comparator.comparingInt(Outcome::rank));
        return sorted;
    }

    private static Outcome train(String index, String recipe, String out, int replicas, int syncEvery) {
        BarrierTaskContext ctx = BarrierTaskContext.get();
        int rank = ctx.partitionId();
        // PyTorch's threads: as many as the task has cores, not as the machine has. Two 1-core executors on a 2-core
        // machine took two each and ran at 35 images/s, spinning against each other (set before the engine starts).
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(Math.max(1, ctx.cpus())));
        }
        long[] syncNanos = {0};
        int[] syncs = {0};
        Replica replica = new Replica(rank, replicas, syncEvery, weights -> {
            long t0 = System.nanoTime();
            float[][] all = allGather(ctx, weights);
            syncNanos[0] += System.nanoTime() - t0;
            syncs[0]++;
            return all;
        });
        Path dir = null;
        try {
            dir = rank == 0 ? Path.of(out) : Files.createTempDirectory("captcha-replica-" + rank + "-");
            PrintStream log = rank == 0 ? System.out : new PrintStream(OutputStream.nullOutputStream());
            long t0 = System.nanoTime();
            TrainConfig config = Json.MAPPER.readValue(recipe, TrainConfig.class);
            TrainingRun.Result r = TrainingRun.start(DatasetIndex.read(Path.of(index)), config, dir, log, replica);
            double seconds = (System.nanoTime() - t0) / 1e9;
            var history = r.history();
            double best = history.stream().mapToDouble(m -> m.valSeqAcc()).max().orElse(0);
            return new Outcome(rank, syncs[0], syncNanos[0] / 1e9, seconds, history.size(), best, history.get(0).loss(),
                    history.get(history.size() - 1).loss(), ModelBundle.sha256(dir.resolve(ModelBundle.PARAMS)), r.stopReason());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("replica " + rank + ": " + e.getMessage(), e);
        } finally {
            if (rank != 0 && dir != null) {
                deleteTree(dir);
            }
        }
    }

    /** Every task's vector, in partition order, all-gathered through the barrier coordinator. */
    static float[][] allGather(BarrierTaskContext ctx, float[] mine) {
        ByteBuffer bytes = ByteBuffer.allocate(mine.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(mine);
        String[] all = ctx.allGather(Base64.getEncoder().encodeToString(bytes.array()));
        float[][] vectors = new float[all.length][];
        for (int t = 0; t < all.length; t++) {
            var floats = ByteBuffer.wrap(Base64.getDecoder().decode(all[t])).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
            vectors[t] = new float[floats.remaining()];
            floats.get(vectors[t]);
        }
        return vectors;
    }

    /** DJL and its PyTorch natives: executors started from a Spark distribution have neither. */
    static List<Path> trainingJars() {
        List<Path> jars = new ArrayList<>();
        ClassLoader loader = ReplicaTraining.class.getClassLoader();
        for (String type : List.of("ai.djl.Model", "ai.djl.pytorch.engine.PtEngine", "ai.djl.pytorch.jni.PyTorchLibrary")) {
            try {
                jars.add(Path.of(Class.forName(type, false, loader).getProtectionDomain().getCodeSource().getLocation().toURI()));
            } catch (ClassNotFoundException | URISyntaxException e) {
                throw new IllegalStateException("training on executors needs " + type + " on the driver's class path", e);
            }
        }
        URL natives = loader.getResource("native/lib/pytorch.properties");
        if (natives != null && natives.getProtocol().equals("jar")) {
            String file = natives.getPath();
            jars.add(Path.of(java.net.URI.create(file.substring(0, file.indexOf("!/")))));
        }
        return jars;
    }

    private static void deleteTree(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind
        }
    }
}
