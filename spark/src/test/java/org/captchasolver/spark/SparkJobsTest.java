package org.captchasolver.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.captchasolver.dataset.DatasetIndex;
import org.captchasolver.dataset.DatasetIndexer;
import org.captchasolver.dataset.IndexOptions;
import org.captchasolver.dataset.IndexSummary;
import org.captchasolver.eda.EdaAnalyzer;
import org.captchasolver.eda.EdaOptions;
import org.captchasolver.eda.EdaStats;
import org.captchasolver.generate.CaptchaStyle;
import org.captchasolver.model.LabelRules;
import org.captchasolver.solve.CaptchaSolver;
import org.captchasolver.testing.TestImages;
import org.captchasolver.testing.TestModels;
import org.captchasolver.train.RunFolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark jobs against the local implementations on the same files, on a real session: in local mode here,
 * on a standalone cluster in {@link StandaloneClusterJobsTest}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkJobsTest {
    SparkSession spark;
    @TempDir static Path tmp;
    Path data;

    /** The session the jobs run on. */
    SparkSession startSession() throws Exception {
        return SparkSessions.start("local[2]", java.time.Duration.ofSeconds(60));
    }

    /** Stops what {@link #startSession} started besides the session. */
    void stopCluster() throws Exception {}

    @BeforeAll
    void start() throws Exception {
        spark = startSession();
        data = tmp.resolve("data");
        TestImages.generate(data, 80, 21, CaptchaStyle.values());
        Files.delete(data.resolve("labels.csv")); // labels from file names; the manifest case is the local tests'
        Path sub = Files.createDirectories(data.resolve("sub"));
        Path good = Files.list(data).filter(p -> p.toString().endsWith(".png")).findFirst().orElseThrow();
        Files.write(data.resolve("empty0.png"), new byte[0]);
        TestImages.truncatedCopy(good, sub.resolve("trunc0.PNG"));
        Files.writeString(data.resolve("text0.png"), "not an image");
        Files.write(sub.resolve("bomb0.png"), TestImages.pngDeclaring(90_000, 90_000));
        Files.copy(good, sub.resolve("waytoolonglabel12345.png"));
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (spark != null) {
                spark.stop();
            }
        } finally {
            stopCluster();
        }
    }

    @Test
    void numberedFileNamesAreRefusedAsTheLocalIndexRefusesThem() throws Exception {
        Path numbered = Files.createDirectories(tmp.resolve("numbered"));
        Path good;
        try (var files = Files.list(data)) {
            good = files.filter(f -> f.toString().endsWith(".png")).findFirst().orElseThrow();
        }
        for (String name : List.of("NFqm_1", "ab3d_2", "xyzw_3", "kq7p_4")) {
            Files.copy(good, numbered.resolve(name + ".png"));
        }
        IndexOptions options = IndexOptions.builder().build();
        String local = org.assertj.core.api.Assertions.catchThrowable(() -> new DatasetIndexer(options).index(numbered)).getMessage();
        assertThat(local).contains("--label-regex '^(.+)_\\d+$'");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SparkIndexer(options).index(spark, numbered.toString(),
                tmp.resolve("numbered-index"))).hasMessage(local);
    }

    @Test
    void emptyFilesAreFoundInTheListingTheReadAlreadyMade() throws Exception {
        DataRoot root = DataRoot.of(data.toString());
        var files = ImageRows.read(spark, root);
        // The read's file index, not a second walk of the folder (a million objects: ~20 s here, more on S3).
        assertThat(SparkIndexer.listedFiles(files)).isPresent();
        assertThat(SparkIndexer.emptyFiles(spark, root, files)).extracting(s -> s.file() + ":" + s.reason())
                .containsExactly("empty0.png:ZERO_BYTE");
    }

    @Test
    void aHeadersOnlyIndexReadsTheSameHeadersAndRefusesTheSameFilesAsTheLocalOne() throws Exception {
        IndexOptions options = IndexOptions.builder().rules(LabelRules.builder().maxLength(8).build()).fullDecode(false).build();
        DatasetIndex local = new DatasetIndexer(options).index(data);
        Path sparkDir = tmp.resolve("spark-quick-index");
        new SparkIndexer(options).index(spark, data.toString(), sparkDir);
        DatasetIndex distributed = DatasetIndex.read(sparkDir);

        assertThat(distributed.entries()).isEqualTo(local.entries());
        assertThat(distributed.skipped()).extracting(s -> s.file() + ":" + s.reason() + ":" + s.detail())
                .containsExactlyElementsOf(local.skipped().stream().map(s -> s.file() + ":" + s.reason() + ":" + s.detail()).toList());
        // Headers only: the truncated PNG passes, the text file and the declared 90,000² canvas do not.
        assertThat(distributed.skipped()).extracting(s -> s.file()).contains("text0.png", "sub/bomb0.png")
                .doesNotContain("sub/trunc0.PNG");
    }

    @Test
    void sparkIndexAndEdaEqualTheLocalOnes() throws Exception {
        IndexOptions options = IndexOptions.builder().rules(LabelRules.builder().maxLength(8).build()).build();
        DatasetIndex local = new DatasetIndexer(options).index(data);
        Path sparkDir = tmp.resolve("spark-index");
        IndexSummary summary = new SparkIndexer(options).index(spark, data.toString(), sparkDir);
        DatasetIndex distributed = DatasetIndex.read(sparkDir);

        assertThat(distributed.entries()).isEqualTo(local.entries());
        assertThat(distributed.skipped()).extracting(s -> s.file() + ":" + s.reason())
                .containsExactlyElementsOf(local.skipped().stream().map(s -> s.file() + ":" + s.reason()).toList());
        assertThat(distributed.skipped()).hasSize(5);
        assertThat(summary.alphabet()).isEqualTo(local.alphabet().chars());
        assertThat(summary.splitSizes()).isEqualTo(local.summary().splitSizes());
        assertThat(summary.skippedByReason()).isEqualTo(local.summary().skippedByReason());
        assertThat(summary.fingerprint()).isEqualTo(local.summary().fingerprint());
        assertThat(spark.read().parquet(sparkDir.resolve(SparkIndexer.PARQUET).toString()).count()).isEqualTo(80);

        // EDA: the local sampler covers every image here, so the numbers must match exactly.
        EdaStats localEda = new EdaAnalyzer(new EdaOptions(1000, 1000, 12, 42)).analyze(local);
        EdaStats sparkEda = SparkEda.run(spark, sparkDir, tmp.resolve("spark-eda"), 42);
        assertThat(sparkEda.images()).isEqualTo(localEda.images());
        assertThat(sparkEda.charCounts()).containsExactlyEntriesOf(localEda.charCounts());
        assertThat(sparkEda.lengthCounts()).isEqualTo(localEda.lengthCounts());
        assertThat(sparkEda.sizeCounts()).isEqualTo(localEda.sizeCounts());
        assertThat(sparkEda.channelCounts()).isEqualTo(localEda.channelCounts());
        assertThat(sparkEda.intensitySample()).isEqualTo(80);
        for (int c = 0; c < 3; c++) {
            assertThat(sparkEda.channels().get(c).histogram()).isEqualTo(localEda.channels().get(c).histogram());
            assertThat(sparkEda.channels().get(c).mean()).isCloseTo(localEda.channels().get(c).mean(), within(1e-9));
        }
        assertThat(tmp.resolve("spark-eda/char_frequency.png")).exists();
        assertThat(tmp.resolve("spark-eda/sample_grid.png")).exists();
    }

    @Test
    void sparkSolveEqualsTheSolverFileByFile() throws Exception {
        Path model = TestModels.sharedCrnn();
        Path images = model.getParent().resolve("data");
        SparkSolve.Summary s = SparkSolve.run(spark, model, images.toString(), tmp.resolve("solved.parquet"));
        assertThat(s.images()).isEqualTo(200);
        assertThat(s.labelled()).isEqualTo(200);
        Map<String, Row> byFile = new HashMap<>();
        for (Row r : spark.read().parquet(tmp.resolve("solved.parquet").toString()).collectAsList()) {
            byFile.put(r.getString(0), r);
        }
        long correct = 0;
        try (CaptchaSolver solver = CaptchaSolver.load(model)) {
            DatasetIndex index = DatasetIndex.read(new RunFolder(model).index());
            for (var e : index.entries()) {
                Row r = byFile.get(e.file());
                assertThat(r).as(e.file()).isNotNull();
                var expected = solver.solve(index.pathOf(e));
                assertThat(r.getString(1)).as(e.file()).isEqualTo(expected.text());
                // Spark solves 64 at a time, the reference one by one: the kernels differ in the last bits.
                assertThat(r.getDouble(2)).isCloseTo(expected.confidence(), within(1e-4));
                assertThat(r.getString(3)).isEqualTo(e.label());
                if (e.label().equals(expected.text())) {
                    correct++;
                }
            }
        }
        assertThat(s.correct()).isEqualTo(correct);
    }

}
