package org.captchasolver.spark;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.captchasolver.dataset.ImageFiles;

/** The image files below a root as Spark rows: path, length, content (the binaryFile source). */
final class ImageRows {
    private ImageRows() {}

    static Dataset<Row> read(SparkSession spark, DataRoot root) {
        Dataset<Row> all = spark.read().format("binaryFile").option("recursiveFileLookup", "true").load(root.uri());
        // The same extension rule as the local scan (case-insensitive), applied to the file name.
        return all.filter(functions.udf((org.apache.spark.sql.api.java.UDF1<String, Boolean>) p ->
                ImageFiles.hasImageExtension(p.substring(p.lastIndexOf('/') + 1)), org.apache.spark.sql.types.DataTypes.BooleanType)
                .apply(functions.col("path")));
    }
}
