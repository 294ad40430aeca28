package org.captchasolver.spark;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;
import org.captchasolver.dataset.Labeler;
import org.captchasolver.model.LabelRules;
import org.captchasolver.model.ModelBundle;
import org.captchasolver.model.ModelManifest;
import org.captchasolver.solve.CaptchaSolver;
import org.captchasolver.solve.Engine;
import org.captchasolver.solve.Solution;

/**
 * {@code captcha spark solve}: distributed batch inference. The bundle's model files are broadcast with the job
 * as a zip and loaded once per executor JVM; each partition is solved in batches; truth and correctness come
 * from the model's own label rules when the files carry labels.
 */
public final class SparkSolve {
    static final StructType RESULTS = new StructType()
            .add("file", DataTypes.StringType, false).add("text", DataTypes.StringType, true)
            .add("confidence", DataTypes.DoubleType, true).add("truth", DataTypes.StringType, true)
            .add("correct", DataTypes.BooleanType, true).add("error", DataTypes.StringType, true);

    /** Loaded bundles of this JVM, by path: one per executor, not one per row or partition. */
    private static final Map<String, CaptchaSolver> LOADED = new ConcurrentHashMap<>();

    /** What the job did. */
    public record Summary(long images, long failed, long labelled, long correct) {
        public double accuracy() {
            return labelled == 0 ? Double.NaN : correct / (double) labelled;
        }
    }

    private SparkSolve() {}

    /** Solves every image under {@code data} with the default engine; see {@link #run(SparkSession, Path, Engine, String, Path)}. */
    public static Summary run(SparkSession spark, Path bundle, String data, Path out) throws IOException {
        return run(spark, bundle, Engine.AUTO, data, out);
    }

    /**
     * Solves every image under {@code data} and writes one Parquet row per image into {@code out}.
     *
     * @param engine what runs the network on the executors
     */
    public static Summary run(SparkSession spark, Path bundle, Engine engine, String data, Path out) throws IOException {
        ModelManifest manifest = ModelBundle.readManifest(bundle);
        DataRoot root = DataRoot.of(data);
        LabelRules rules = manifest.labelRules() == null ? LabelRules.defaults()
                : manifest.labelRules().toBuilder().manifest(null).charset(null).maxLength(64).build();
        Broadcast<Labeler> labeler = JavaSparkContext.fromSparkContext(spark.sparkContext())
                .broadcast(Labeler.create(rules, root.localPath()));
        Broadcast<ShippedModel> model = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(ShippedModel.of(bundle));
        // Counted as the rows are made, not by reading the output again (a second job, a second plan); the write's
        // tasks are result tasks, whose counts Spark applies once per partition even when a task is retried.
        Counts counts = new Counts(spark.sparkContext());
        var results = ImageRows.read(spark, root).mapPartitions(solve(root, model, engine, labeler, counts), Encoders.row(RESULTS));
        results.write().mode("overwrite").parquet(out.toString());
        return new Summary(counts.images.value(), counts.failed.value(), counts.labelled.value(), counts.correct.value());
    }

    /** The job's tallies, summed over the executors. */
    private record Counts(LongAccumulator images, LongAccumulator failed, LongAccumulator labelled, LongAccumulator correct)
            implements java.io.Serializable {
        Counts(org.apache.spark.SparkContext sc) {
            this(sc.longAccumulator("images"), sc.longAccumulator("failed"), sc.longAccumulator("labelled"),
                    sc.longAccumulator("correct"));
        }

        Row count(Row row) {
            images.add(1);
            if (!row.isNullAt(5)) {
                failed.add(1);
            }
            if (!row.isNullAt(3)) {
                labelled.add(1);
            }
            if (!row.isNullAt(4) && row.getBoolean(4)) {
                correct.add(1);
            }
            return row;
        }
    }

    /**
     * The bundle's model files (not the checkpoints and reports of a run folder), zipped, as the job broadcasts them:
     * a cluster's executors can be sent neither a folder nor, reliably, a file added to the job.
     *
     * @param id  names this copy of the model on the executors (its zip's SHA-256)
     * @param zip {@code model.json} with {@code model.onnx} and/or {@code model.params}
     */
    record ShippedModel(String id, byte[] zip) implements java.io.Serializable {
        static ShippedModel of(Path bundle) throws IOException {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            try (ZipOutputStream out = new ZipOutputStream(bytes)) {
                for (String name : List.of(ModelBundle.MANIFEST, ModelBundle.ONNX, ModelBundle.PARAMS)) {
                    Path f = bundle.resolve(name);
                    if (Files.isRegularFile(f)) {
                        out.putNextEntry(new ZipEntry(name));
                        Files.copy(f, out);
                        out.closeEntry();
                    }
                }
            }
            byte[] zip = bytes.toByteArray();
            try {
                return new ShippedModel(java.util.HexFormat.of().formatHex(
                        java.security.MessageDigest.getInstance("SHA-256").digest(zip)), zip);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** The solver for a shipped model in this JVM: unpacked into a temporary folder and loaded on first use. */
    static CaptchaSolver solverFor(ShippedModel model, Engine engine) throws IOException {
        String key = model.id() + "|" + engine;
        CaptchaSolver s = LOADED.get(key);
        if (s == null) {
            synchronized (LOADED) {
                s = LOADED.get(key);
                if (s == null) {
                    Path dir = Files.createTempDirectory("captcha-model-");
                    dir.toFile().deleteOnExit(); // registered first, deleted last: after the files
                    ModelBundle.unpack(new java.io.ByteArrayInputStream(model.zip()), dir);
                    try (var files = Files.list(dir)) {
                        files.forEach(f -> f.toFile().deleteOnExit());
                    }
                    s = loadSingleThreaded(dir, engine);
                    LOADED.put(key, s);
                }
            }
        }
        return s;
    }

    /**
     * One intra-op thread per run, as the HTTP server does: the parallelism is the executor's concurrent tasks, each
     * decoding and solving its own partition. The solver's default, a thread per core of the machine, would give every
     * 1-core executor on a many-core node as many threads as the node has cores (on one 2-core machine the two made
     * no difference: docs/scaling.md). A value the user set for {@code captcha.onnx.threads} is kept.
     */
    private static CaptchaSolver loadSingleThreaded(Path dir, Engine engine) throws IOException {
        String key = "captcha.onnx.threads";
        String before = System.getProperty(key);
        if (before == null) {
            System.setProperty(key, "1");
        }
        try {
            return CaptchaSolver.load(dir, engine, org.captchasolver.image.ImageDecoder.DEFAULT_MAX_PIXELS);
        } finally {
            if (before == null) {
                System.clearProperty(key);
            }
        }
    }

    private static MapPartitionsFunction<Row, Row> solve(DataRoot root, Broadcast<ShippedModel> model, Engine engine,
            Broadcast<Labeler> labels, Counts counts) {
        return rows -> {
            CaptchaSolver solver = solverFor(model.value(), engine);
            Labeler labeler = labels.value();
            List<Row> out = new ArrayList<>();
            List<String> files = new ArrayList<>();
            List<BufferedImage> images = new ArrayList<>();
            while (rows.hasNext()) {
                Row r = rows.next();
                String file = root.relative(r.getAs("path"));
                Labeler.Outcome label = labeler.label(file);
                String truth = label.accepted() ? label.label() : null;
                try {
                    images.add(solver.decode((byte[]) r.getAs("content")));
                    files.add(file);
                } catch (RuntimeException e) {
                    out.add(counts.count(RowFactory.create(file, null, null, truth, truth == null ? null : false, e.getMessage())));
                }
                if (images.size() == CaptchaSolver.BATCH || (!rows.hasNext() && !images.isEmpty())) {
                    List<Solution> solved = solver.solveAll(images);
                    for (int i = 0; i < solved.size(); i++) {
                        Labeler.Outcome l = labeler.label(files.get(i));
                        String t = l.accepted() ? l.label() : null;
                        Solution s = solved.get(i);
                        out.add(counts.count(RowFactory.create(files.get(i), s.text(), s.confidence(), t,
                                t == null ? null : t.equals(s.text()), null)));
                    }
                    images.clear();
                    files.clear();
                }
            }
            return out.iterator();
        };
    }
}
