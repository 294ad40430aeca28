package org.captchasolver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.captchasolver.dataset.DatasetIndex;
import org.captchasolver.testing.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkCliTest {
    @TempDir Path tmp;

    @Test
    void anUnreachableMasterTimesOutInOneLineAndFallsBackWhenAsked() throws Exception {
        Path data = TestModels.generate(tmp.resolve("data"), 20, 3);
        // Port 1 on loopback: nothing listens, so the session never comes up.
        String[] base = {"spark", "index", "-q", "--master", "spark://127.0.0.1:1", "--timeout", "3", "--data", data.toString()};
        CliRunner.Result failed = CliRunner.run(concat(base, "--out", tmp.resolve("a").toString()));
        assertThat(failed.exit()).isEqualTo(1);
        assertThat(failed.err().lines().filter(l -> l.startsWith("error: ")).findFirst().orElse(""))
                .contains("did not start within 3 s").contains("--fallback-local");

        CliRunner.Result fallback = CliRunner.run(concat(base, "--out", tmp.resolve("b").toString(), "--fallback-local"));
        assertThat(fallback.exit()).as(fallback.err()).isZero();
        assertThat(fallback.err()).contains("running locally instead");
        assertThat(DatasetIndex.read(tmp.resolve("b")).entries()).hasSize(20);
    }

    @Test
    void sparkIndexAndEdaRunFromTheCommandLine() throws Exception {
        Path data = TestModels.generate(tmp.resolve("data"), 30, 4);
        CliRunner.Result index = CliRunner.run("spark", "index", "-q", "--master", "local[2]", "--data", data.toString(),
                "--out", tmp.resolve("idx").toString());
        assertThat(index.exit()).as(index.err()).isZero();
        assertThat(index.out()).contains("30 images kept");
        CliRunner.Result eda = CliRunner.run("spark", "eda", "-q", "--master", "local[2]", "--index", tmp.resolve("idx").toString(),
                "--out", tmp.resolve("eda").toString());
        assertThat(eda.exit()).as(eda.err()).isZero();
        assertThat(eda.out()).contains("EDA over all 30 images");
        assertThat(tmp.resolve("eda/channel_histograms.png")).exists();
    }

    @Test
    void aJobWhoseSparkStopsUnderneathItFailsWithWhatToDoNotWithSparksInternalError() throws Exception {
        SparkCommand.SparkOptions options = new SparkCommand.SparkOptions();
        options.master = "local[1]";
        // What Spark does after a task runs out of memory: its context stops while the job is still planning.
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> options.run(spark -> {
            spark.sparkContext().stop();
            spark.range(10).count();
        }, () -> { }))
                .isInstanceOf(org.captchasolver.common.CaptchaException.class)
                .hasMessageStartingWith("Spark stopped during the job").hasMessageContaining("CAPTCHA_JAVA_OPTS=-Xmx");
        // A job's own error passes unchanged.
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> options.run(spark -> {
            throw new org.captchasolver.common.CaptchaException("no images found in X");
        }, () -> { })).hasMessage("no images found in X");
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
