package org.captchasolver.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.udf;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.SerializableConfiguration;
import org.captchasolver.common.AtomicFiles;
import org.captchasolver.common.CaptchaException;
import org.captchasolver.dataset.DatasetIndex;
import org.captchasolver.dataset.DatasetIndexer;
import org.captchasolver.dataset.Fingerprint;
import org.captchasolver.dataset.ImageFiles;
import org.captchasolver.dataset.IndexEntry;
import org.captchasolver.dataset.IndexOptions;
import org.captchasolver.dataset.IndexSummary;
import org.captchasolver.dataset.Labeler;
import org.captchasolver.dataset.SkipReason;
import org.captchasolver.dataset.SkippedFile;
import org.captchasolver.dataset.Split;
import org.captchasolver.dataset.SplitRatios;
import org.captchasolver.dataset.Splitter;
import org.captchasolver.image.ImageDecoder;
import org.captchasolver.image.ImageHeader;
import org.captchasolver.image.ImageRejectedException;
import org.captchasolver.model.Alphabet;
import org.captchasolver.util.Csv;

/**
 * {@code captcha spark index}: the local index's rules (one {@link Labeler}, one decoder, one split
 * rule) applied by executors; headers are decoded where the bytes are. Writes the same index folder
 * as the local index (index.csv, skipped.csv/json, index.json) plus {@code index.parquet}. The driver
 * receives aggregates, the list of skipped files, and streams the sorted entries into index.csv.
 */
public final class SparkIndexer {
    public static final String PARQUET = "index.parquet";

    static final StructType CHECKED = new StructType()
            .add("file", DataTypes.StringType, false).add("label", DataTypes.StringType, true)
            .add("width", DataTypes.IntegerType, true).add("height", DataTypes.IntegerType, true)
            .add("channels", DataTypes.IntegerType, true).add("bytes", DataTypes.LongType, false)
            .add("reason", DataTypes.StringType, true).add("detail", DataTypes.StringType, true);

    private final IndexOptions options;

    public SparkIndexer(IndexOptions options) {
        this.options = options;
    }

    /** Indexes {@code data} (a folder or URI) into {@code out}; returns the summary written as index.json. */
    public IndexSummary index(SparkSession spark, String data, Path out) throws IOException {
        DataRoot root = DataRoot.of(data);
        Labeler labeler = Labeler.create(options.rules(), root.localPath());
        JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<Labeler> shipped = context.broadcast(labeler);
        Broadcast<SerializableConfiguration> hadoop = context.broadcast(new SerializableConfiguration(spark.sparkContext().hadoopConfiguration()));
        Dataset<Row> files = ImageRows.read(spark, root);
        // Without the content column the source reads no file: each task reads what it needs (a header, in --quick).
        Dataset<Row> checked = files.select("path", "length")
                .mapPartitions(check(root, shipped, hadoop, options.fullDecode(), options.maxPixels()), Encoders.row(CHECKED))
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            Dataset<Row> entries = checked.filter(col("reason").isNull());
            if (options.limit() != null) {
                entries = entries.withColumn("r", rank(Splitter.subsetSeed(options.seed())).apply(col("file")))
                        .orderBy("r", "file").limit(options.limit()).drop("r");
            }
            long images = entries.count();
            List<SkippedFile> skipped = emptyFiles(spark, root, files);
            // Sorted by Spark first: toLocalIterator runs one job per partition, and the read's thousands of
            // partitions made this loop most of a million-file index (4,600 jobs, ~4 minutes).
            checked.filter(col("reason").isNotNull()).select("file", "reason", "detail").orderBy("file").toLocalIterator()
                    .forEachRemaining(r -> skipped.add(new SkippedFile(r.getString(0), SkipReason.valueOf(r.getString(1)), r.getString(2))));
            skipped.sort(java.util.Comparator.comparing(SkippedFile::file));
            if (images == 0 && skipped.isEmpty()) {
                throw new CaptchaException("no images (jpg, jpeg, png, bmp, gif) found in " + root.display());
            }
            if (!labeler.usesManifest() && options.rules().regex() == null) {
                refuseNumberedNames(entries, root.display());
            }
            Alphabet alphabet = options.rules().charset() != null ? new Alphabet(options.rules().charset()) : inferAlphabet(entries);
            if (alphabet == null) {
                throw new CaptchaException("no usable image in " + root.display() + ": all " + skipped.size()
                        + " files were skipped; see skipped.csv");
            }
            Dataset<Row> split = assignSplit(spark, entries, options.ratios(), options.seed()).orderBy("file").persist(StorageLevel.MEMORY_AND_DISK());
            try {
                Files.createDirectories(out);
                split.select("file", "label", "split", "width", "height", "channels", "bytes")
                        .write().mode("overwrite").parquet(out.resolve(PARQUET).toString());
                Fingerprint fingerprint = new Fingerprint();
                Map<String, Integer> sizes = new LinkedHashMap<>();
                for (Split s : Split.values()) {
                    sizes.put(s.id(), 0);
                }
                Csv.write(out.resolve(DatasetIndex.INDEX_CSV), List.of("file", "label", "split", "width", "height", "channels", "bytes"),
                        sink -> {
                            Iterator<Row> it = split.toLocalIterator();
                            while (it.hasNext()) {
                                IndexEntry e = entry(it.next());
                                fingerprint.add(e);
                                sizes.merge(e.split().id(), 1, Integer::sum);
                                sink.accept(List.of(e.file(), e.label(), e.split().id(), e.width(), e.height(), e.channels(), e.bytes()));
                            }
                        });
                DatasetIndex.writeSkipped(out, skipped);
                IndexSummary summary = new IndexSummary(root.display(), (int) images, skipped.size(),
                        DatasetIndex.countByReason(skipped), sizes, alphabet.chars(), options.rules().charset() != null,
                        options.rules(), DatasetIndexer.labelSource(labeler, options.rules()), options.ratios().toString(),
                        options.seed(), options.limit(), options.fullDecode() ? "full decode" : "header only", fingerprint.hex());
                AtomicFiles.writeJson(out.resolve(DatasetIndex.SUMMARY_JSON), summary);
                return summary;
            } finally {
                split.unpersist();
            }
        } finally {
            checked.unpersist();
        }
    }

    /**
     * Spark's file sources drop zero-length files before any task sees them, so they are found in the
     * listing the read already made (its file index keeps every file, empty ones included); where the
     * plan holds no such index, by streaming a listing of its own. Only the empty files are kept.
     */
    static List<SkippedFile> emptyFiles(SparkSession spark, DataRoot root, Dataset<Row> files) throws IOException {
        List<SkippedFile> empty = new ArrayList<>();
        Optional<scala.collection.immutable.Seq<FileStatus>> listed = listedFiles(files);
        if (listed.isPresent()) {
            scala.collection.Iterator<FileStatus> it = listed.get().iterator();
            while (it.hasNext()) {
                FileStatus f = it.next();
                if (!f.isDirectory()) {
                    addIfEmptyImage(f, root, empty);
                }
            }
            return empty;
        }
        org.apache.hadoop.fs.Path base = new org.apache.hadoop.fs.Path(root.uri());
        collectEmpty(base.getFileSystem(spark.sparkContext().hadoopConfiguration()), base, root, empty);
        return empty;
    }

    /** Every file the read's file index listed (a second listing of a million objects costs ~20 s locally, more on S3). */
    static Optional<scala.collection.immutable.Seq<FileStatus>> listedFiles(Dataset<Row> files) {
        for (org.apache.spark.sql.catalyst.plans.logical.LogicalPlan leaf
                : scala.jdk.javaapi.CollectionConverters.asJava(files.queryExecution().analyzed().collectLeaves())) {
            if (leaf instanceof org.apache.spark.sql.execution.datasources.LogicalRelation relation
                    && relation.relation() instanceof org.apache.spark.sql.execution.datasources.HadoopFsRelation fs
                    && fs.location() instanceof org.apache.spark.sql.execution.datasources.PartitioningAwareFileIndex index) {
                return Optional.of(index.allFiles());
            }
        }
        return Optional.empty();
    }

    private static void addIfEmptyImage(FileStatus f, DataRoot root, List<SkippedFile> empty) {
        String name = f.getPath().getName();
        if (f.getLen() == 0 && !ImageFiles.isHidden(name) && ImageFiles.hasImageExtension(name)) {
            empty.add(new SkippedFile(root.relative(f.getPath().toUri().toString()), SkipReason.ZERO_BYTE, "0 bytes"));
        }
    }

    /**
     * listStatusIterator, not listFiles: the latter builds LocatedFileStatus, whose permission lookup
     * forks a shell per file on the local file system (100,000 files: minutes instead of seconds).
     */
    private static void collectEmpty(FileSystem fs, org.apache.hadoop.fs.Path dir, DataRoot root,
                                     List<SkippedFile> empty) throws IOException {
        org.apache.hadoop.fs.RemoteIterator<FileStatus> it = fs.listStatusIterator(dir);
        while (it.hasNext()) {
            FileStatus f = it.next();
            String name = f.getPath().getName();
            if (ImageFiles.isHidden(name)) {
                continue;
            }
            if (f.isDirectory()) {
                collectEmpty(fs, f.getPath(), root, empty);
            } else {
                addIfEmptyImage(f, root, empty);
            }
        }
    }

    /** The per-partition check: label, then decode, exactly as the local indexer does it. */
    static MapPartitionsFunction<Row, Row> check(DataRoot root, Broadcast<Labeler> shipped, Broadcast<SerializableConfiguration> hadoop,
                                                 boolean fullDecode, long maxPixels) {
        return rows -> {
            Labeler labeler = shipped.value();
            ImageDecoder decoder = new ImageDecoder(maxPixels);
            FileSystem fs = rawFileSystem(root, hadoop.value().value());
            return new Iterator<Row>() {
                @Override
                public boolean hasNext() {
                    return rows.hasNext();
                }

                @Override
                public Row next() {
                    Row r = rows.next();
                    String path = r.getAs("path");
                    String file = root.relative(path);
                    long bytes = r.<Long>getAs("length");
                    if (bytes == 0) {
                        return skip(file, bytes, SkipReason.ZERO_BYTE, "0 bytes");
                    }
                    Labeler.Outcome label = labeler.label(file);
                    if (!label.accepted()) {
                        return skip(file, bytes, label.reason(), label.detail());
                    }
                    try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(path))) {
                        ImageHeader h = fullDecode ? decoder.decode(in).header() : decoder.probe(in);
                        return RowFactory.create(file, label.label(), h.width(), h.height(), h.channels(), bytes, null, null);
                    } catch (ImageRejectedException e) {
                        return skip(file, bytes, SkipReason.of(e.kind()), e.getMessage());
                    } catch (IOException e) {
                        return skip(file, bytes, SkipReason.UNREADABLE, e.getMessage());
                    }
                }
            };
        };
    }

    /**
     * The file system below the root, without a local checksum layer: looking for a {@code .crc} beside each
     * image threw and caught an exception per file (~5% of a million-file index).
     */
    private static FileSystem rawFileSystem(DataRoot root, org.apache.hadoop.conf.Configuration conf) throws IOException {
        FileSystem fs = new org.apache.hadoop.fs.Path(root.uri()).getFileSystem(conf);
        return fs instanceof ChecksumFileSystem local ? local.getRawFileSystem() : fs;
    }

    private static Row skip(String file, long bytes, SkipReason reason, String detail) {
        return RowFactory.create(file, null, null, null, null, bytes, reason.name(), detail == null ? "" : detail);
    }

    /**
     * The local rule: within each label length, images in rank order, the first 70% train and so on. One global
     * sort by (length, rank, file) numbers every image; its number within its length follows from the lengths'
     * counts (a handful of rows). A window over each length held all its images in one task: at a million, a
     * 1 GB driver ran out of heap.
     */
    static Dataset<Row> assignSplit(SparkSession spark, Dataset<Row> entries, SplitRatios ratios, long seed) {
        Dataset<Row> ranked = entries.withColumn("len", length(col("label"))).withColumn("r", rank(seed).apply(col("file")));
        TreeMap<Integer, Long> sizes = new TreeMap<>();
        for (Row r : ranked.groupBy("len").count().collectAsList()) {
            sizes.put(r.getInt(0), r.getLong(1));
        }
        HashMap<Integer, Long> firsts = new HashMap<>(); // the global number of each length's first image
        long first = 0;
        for (Map.Entry<Integer, Long> e : sizes.entrySet()) {
            firsts.put(e.getKey(), first);
            first += e.getValue();
        }
        int fields = entries.schema().size();
        JavaRDD<Row> numbered = ranked.orderBy("len", "r", "file").toJavaRDD().zipWithIndex().map(t -> {
            Row row = t._1();
            int len = row.getAs("len");
            Object[] values = new Object[fields + 1];
            for (int i = 0; i < fields; i++) {
                values[i] = row.get(i);
            }
            values[fields] = Splitter.splitOf(t._2() - firsts.get(len), sizes.get(len), ratios).id();
            return RowFactory.create(values);
        });
        return spark.createDataFrame(numbered, entries.schema().add("split", DataTypes.StringType, false));
    }

    static org.apache.spark.sql.expressions.UserDefinedFunction rank(long seed) {
        return udf((UDF1<String, Long>) f -> Splitter.rank(seed, f), DataTypes.LongType);
    }

    /**
     * The local index's check that file names are not {@code <label>_<n>} and the like, on up to 200,000 of the
     * names (streamed to the driver): enough to see a convention that nine names in ten follow.
     */
    private static void refuseNumberedNames(Dataset<Row> entries, String folder) {
        List<String> stems = new ArrayList<>();
        Iterator<Row> it = entries.select("file").orderBy("file").limit(200_000).toLocalIterator(); // the local order: names sorted
        while (it.hasNext()) {
            String name = it.next().getString(0);
            name = name.substring(name.lastIndexOf('/') + 1);
            int dot = name.lastIndexOf('.');
            stems.add(dot > 0 ? name.substring(0, dot) : name);
        }
        org.captchasolver.dataset.LabelPatterns.detect(stems).ifPresent(c -> {
            throw new CaptchaException(c.advice(folder));
        });
    }

    private static Alphabet inferAlphabet(Dataset<Row> entries) {
        TreeSet<Character> chars = new TreeSet<>();
        for (Row r : entries.select(explode(split(col("label"), "")).as("c")).distinct().collectAsList()) {
            String c = r.getString(0);
            if (!c.isEmpty()) {
                chars.add(c.charAt(0));
            }
        }
        if (chars.isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        chars.forEach(sb::append);
        return new Alphabet(sb.toString());
    }

    private static IndexEntry entry(Row r) {
        return new IndexEntry(r.getAs("file"), r.getAs("label"), r.<Integer>getAs("width"), r.<Integer>getAs("height"),
                r.<Integer>getAs("channels"), r.<Long>getAs("bytes"), Split.parse(r.getAs("split")));
    }
}
