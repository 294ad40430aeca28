package org.captchasolver.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.udf;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.captchasolver.common.Json;
import org.captchasolver.dataset.DatasetIndex;
import org.captchasolver.dataset.IndexSummary;
import org.captchasolver.eda.ChannelStats;
import org.captchasolver.eda.EdaAnalyzer;
import org.captchasolver.eda.EdaReport;
import org.captchasolver.eda.EdaStats;
import org.captchasolver.eda.EdaStatsBuilder;
import org.captchasolver.image.ImageDecoder;
import org.captchasolver.image.ImageRejectedException;
import org.captchasolver.plot.ImageGrid;

/**
 * {@code captcha spark eda}: the EDA statistics over every image of an index made by
 * {@link SparkIndexer}, as distributed aggregations; the figures are drawn on the driver from the
 * aggregates by the local EDA's own code.
 */
public final class SparkEda {
    private static final StructType HISTOGRAMS = new StructType()
            .add("images", DataTypes.LongType).add("r", DataTypes.BinaryType)
            .add("g", DataTypes.BinaryType).add("b", DataTypes.BinaryType);

    private SparkEda() {}

    public static EdaStats run(SparkSession spark, Path indexDir, Path out, long seed) throws IOException {
        IndexSummary summary = Json.read(indexDir.resolve(DatasetIndex.SUMMARY_JSON), IndexSummary.class);
        Dataset<Row> entries = spark.read().parquet(indexDir.resolve(SparkIndexer.PARQUET).toString());
        EdaStatsBuilder b = new EdaStatsBuilder();
        Map<String, Long> chars = new HashMap<>();
        for (Row r : entries.select(explode(split(col("label"), "")).as("c")).groupBy("c").count().collectAsList()) {
            if (!r.getString(0).isEmpty()) {
                chars.put(r.getString(0), r.getLong(1));
            }
        }
        Map<Integer, Long> lengths = new HashMap<>();
        for (Row r : entries.groupBy(length(col("label"))).count().collectAsList()) {
            lengths.put(r.getInt(0), r.getLong(1));
        }
        long images = entries.count();
        b.addCounts(images, chars, lengths);
        for (Row r : entries.groupBy("width", "height", "channels").count().collectAsList()) {
            b.size(r.getInt(0), r.getInt(1), r.getInt(2), r.getLong(3));
        }

        DataRoot root = DataRoot.of(summary.dataRoot());
        UDF1<String, String> rel = root::relative;
        Dataset<Row> pixels = ImageRows.read(spark, root).withColumn("file", udf(rel, DataTypes.StringType).apply(col("path")))
                .join(entries.select("file", "label"), "file");
        long[][] hist = new long[3][256];
        long counted = 0;
        for (Row r : pixels.select("content").mapPartitions(histograms(), Encoders.row(HISTOGRAMS)).collectAsList()) {
            counted += r.getLong(0);
            for (int c = 0; c < 3; c++) {
                java.nio.LongBuffer h = java.nio.ByteBuffer.wrap((byte[]) r.get(c + 1)).asLongBuffer();
                for (int v = 0; v < 256; v++) {
                    hist[c][v] += h.get(v);
                }
            }
        }
        b.intensity(accumulator(hist[0]), accumulator(hist[1]), accumulator(hist[2]), counted);
        EdaStats stats = b.build();

        // The grid: the same files the local EDA picks (lowest rank under seed + 2).
        List<Row> picked = pixels.withColumn("rk", SparkIndexer.rank(seed + 2).apply(col("file")))
                .orderBy("rk", "file").limit(12).select("label", "content").collectAsList();
        List<ImageGrid.Cell> cells = new ArrayList<>();
        ImageDecoder decoder = ImageDecoder.defaults();
        for (Row r : picked) {
            try {
                cells.add(ImageGrid.Cell.titled(decoder.decode((byte[]) r.getAs("content")).image(), r.getString(0)));
            } catch (ImageRejectedException e) {
                // left out of the grid
            }
        }
        EdaReport.write(stats, cells, out);
        return stats;
    }

    private static ChannelStats.Accumulator accumulator(long[] hist) {
        ChannelStats.Accumulator a = new ChannelStats.Accumulator();
        System.arraycopy(hist, 0, a.histogram(), 0, 256);
        return a;
    }

    /** One row per partition: its image count and three 256-bin histograms. */
    private static MapPartitionsFunction<Row, Row> histograms() {
        return rows -> {
            ImageDecoder decoder = ImageDecoder.defaults();
            ChannelStats.Accumulator r = new ChannelStats.Accumulator();
            ChannelStats.Accumulator g = new ChannelStats.Accumulator();
            ChannelStats.Accumulator bl = new ChannelStats.Accumulator();
            long n = 0;
            while (rows.hasNext()) {
                try {
                    EdaAnalyzer.addPixels(decoder.decode((byte[]) rows.next().getAs("content")).image(), r, g, bl);
                    n++;
                } catch (ImageRejectedException e) {
                    // indexed as good, unreadable now: not counted
                }
            }
            return List.of(RowFactory.create(n, packed(r.histogram()), packed(g.histogram()), packed(bl.histogram()))).iterator();
        };
    }

    /** 256 counts as bytes: the smallest thing a partition can hand back. */
    private static byte[] packed(long[] a) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 * a.length);
        b.asLongBuffer().put(a);
        return b.array();
    }
}
