package org.captchasolver.spark;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * What one synchronisation of data-parallel training costs on a cluster, measured rather than guessed: a barrier
 * stage with one task per worker, where every task repeatedly all-gathers a parameter vector of the default
 * network's size through Spark's barrier coordinator and averages the vectors it receives, as parameter averaging
 * would after each round of local steps (docs/scaling.md).
 *
 * <p>{@code java -cp 'app/target/lib/*' org.captchasolver.spark.SyncCost spark://127.0.0.1:7077 [tasks] [floats] [rounds]}
 */
public final class SyncCost {
    /** Parameters of the default {@code crnn} (its weights file is 1.35 MB of float32). */
    static final int CRNN_FLOATS = 337_000;

    private SyncCost() {}

    /**
     * Runs the measurement and prints one line per task.
     *
     * @param args master URL, then optionally the task count (2), floats per vector ({@value #CRNN_FLOATS}) and
     *             rounds (30)
     */
    public static void main(String[] args) {
        String master = args.length > 0 ? args[0] : "local[2]";
        int tasks = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int floats = args.length > 2 ? Integer.parseInt(args[2]) : CRNN_FLOATS;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 30;
        SparkSession spark = SparkSessions.start(master, Map.of(), Duration.ofSeconds(90));
        try {
            scala.Function1<scala.collection.Iterator<Integer>, scala.collection.Iterator<String>> task =
                    (scala.Function1<scala.collection.Iterator<Integer>, scala.collection.Iterator<String>> & java.io.Serializable)
                            it -> scala.jdk.javaapi.CollectionConverters.asScala(List.of(measure(floats, rounds)).iterator());
            String[] lines = (String[]) JavaSparkContext.fromSparkContext(spark.sparkContext())
                    .parallelize(IntStream.range(0, tasks).boxed().toList(), tasks).rdd().barrier()
                    .mapPartitions(task, false, scala.reflect.ClassTag$.MODULE$.apply(String.class)).collect();
            System.out.printf("%s, %d tasks, %d floats (%.2f MB) per task and round, %d rounds%n", master, tasks, floats,
                    floats * 4 / 1e6, rounds);
            for (String line : lines) {
                System.out.println(line);
            }
        } finally {
            spark.stop();
        }
    }

    private static String measure(int floats, int rounds) {
        BarrierTaskContext ctx = BarrierTaskContext.get();
        float[] params = new float[floats];
        SplittableRandom random = new SplittableRandom(ctx.partitionId());
        for (int i = 0; i < floats; i++) {
            params[i] = (float) random.nextGaussian();
        }
        List<Double> ms = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            float[][] all = ReplicaTraining.allGather(ctx, params);
            float[] mean = new float[floats];
            for (float[] v : all) {
                for (int i = 0; i < floats; i++) {
                    mean[i] += v[i] / all.length;
                }
            }
            params = mean;
            ms.add((System.nanoTime() - t0) / 1e6);
        }
        List<Double> warm = ms.subList(Math.min(3, ms.size() - 1), ms.size()).stream().sorted().toList();
        return String.format("task %d: median %.1f ms, min %.1f, max %.1f per round (first round %.1f ms, JIT cold)",
                ctx.partitionId(), warm.get(warm.size() / 2), warm.get(0), warm.get(warm.size() - 1), ms.get(0));
    }
}
