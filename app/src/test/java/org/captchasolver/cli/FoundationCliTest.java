package org.captchasolver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.captchasolver.dataset.DatasetIndex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class FoundationCliTest {
    @TempDir Path tmp;

    @Test
    void helpListsSubcommandsAndEverySubcommandHasHelp() {
        CliRunner.Result r = CliRunner.run("--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("generate", "index", "eda", "demo");
        Set<String> subcommands = new CommandLine(new CaptchaCli()).getSubcommands().keySet();
        assertThat(subcommands).contains("train", "evaluate", "solve", "serve", "benchmark", "bench");
        for (String sub : subcommands) {
            CliRunner.Result h = CliRunner.run(sub, "--help");
            assertThat(h.exit()).as(sub).isZero();
            assertThat(h.out()).as(sub).contains("Usage: captcha " + sub);
            // picocli prints a warning (not an error) when a description is not a valid format string.
            assertThat(h.err()).as(sub).isEmpty();
        }
    }

    @Test
    void badUsageExitsTwoWithOneLineError() {
        CliRunner.Result r = CliRunner.run("generate", "--count", "abc", "-o", tmp.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("error: ").contains("--count");
        assertThat(r.err()).doesNotContain("\tat ");

        CliRunner.Result bad = CliRunner.run("generate", "-o", tmp.toString(), "--style", "fancy");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err().strip()).isEqualTo("error: unknown style 'fancy': use clean, colorful, warped, variable or mixed");

        assertThat(CliRunner.run("nosuchcommand").exit()).isEqualTo(2);
    }

    @Test
    void failureExitsOneNamingTheFileWithoutStackTraceUnlessVerbose() {
        Path missing = tmp.resolve("missing-folder");
        CliRunner.Result r = CliRunner.run("index", "-q", "--data", missing.toString(), "--out", tmp.resolve("i").toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().lines().count()).isEqualTo(1);
        assertThat(r.err()).contains("missing-folder").contains("not a folder");

        CliRunner.Result v = CliRunner.run("index", "-q", "--verbose", "--data", missing.toString());
        assertThat(v.exit()).isEqualTo(1);
        assertThat(v.err()).contains("\tat ");
    }

    @Test
    void generateIndexEdaEndToEnd() throws Exception {
        Path data = tmp.resolve("data");
        CliRunner.Result g = CliRunner.run("generate", "-q", "-o", data.toString(), "-n", "40", "--style", "all", "--seed", "3");
        assertThat(g.exit()).isZero();
        assertThat(g.out()).contains("Generated 40 images");
        Files.write(data.resolve("broken.png"), new byte[] {1, 2, 3});

        Path idx = tmp.resolve("idx");
        CliRunner.Result i = CliRunner.run("index", "-q", "-d", data.toString(), "-o", idx.toString(), "--split", "60/20/20");
        assertThat(i.exit()).as(i.err()).isZero();
        assertThat(i.out()).contains("40 images kept, 1 skipped").contains("NO_LABEL=1");
        assertThat(DatasetIndex.read(idx).summary().splitSizes()).containsEntry("train", 24);

        Path eda = tmp.resolve("eda");
        CliRunner.Result e = CliRunner.run("eda", "-q", "-d", idx.toString(), "-o", eda.toString());
        assertThat(e.exit()).as(e.err()).isZero();
        assertThat(eda.resolve("eda.json")).exists();
        assertThat(eda.resolve("char_frequency.png")).exists();
        assertThat(eda.resolve("sample_grid.png")).exists();

        CliRunner.Result ignored = CliRunner.run("eda", "-q", "-d", idx.toString(), "-o", tmp.resolve("eda2").toString(), "--limit", "5");
        assertThat(ignored.exit()).isZero();
        assertThat(ignored.err()).contains("is an index folder").contains("--limit");
        assertThat(ignored.out()).contains("Using index").contains("40 images");
    }
}
