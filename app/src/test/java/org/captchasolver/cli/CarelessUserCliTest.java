package org.captchasolver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.captchasolver.dataset.DatasetIndex;
import org.captchasolver.dataset.SkipReason;
import org.captchasolver.testing.TestModels;
import org.captchasolver.train.RunFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Folders, file names and disks as users have them: loops, only bad files, odd names, no space left. */
class CarelessUserCliTest {
    @TempDir Path tmp;

    @Test
    void aSymlinkLoopOrABrokenLinkIsSkippedWithAReasonAndTheRestIsIndexedAndSolved() throws Exception {
        Path model = TestModels.sharedCrnn();
        DatasetIndex trained = DatasetIndex.read(new RunFolder(model).index());
        Path data = Files.createDirectories(tmp.resolve("d"));
        for (int i = 0; i < 6; i++) {
            var e = trained.entries().get(i);
            Files.copy(trained.pathOf(e), data.resolve(e.label() + ".png"));
        }
        Files.createSymbolicLink(data.resolve("loop"), Path.of("."));
        Files.createSymbolicLink(data.resolve("gone.png"), data.resolve("missing.png"));

        CliRunner.Result index = CliRunner.run("index", "-q", "-d", data.toString(), "-o", tmp.resolve("i").toString(),
                "--split", "50/25/25");
        assertThat(index.exit()).as(index.err()).isZero();
        assertThat(index.out()).contains("6 images kept, 2 skipped").contains("LINK_LOOP=1").contains("UNREADABLE=1");
        DatasetIndex read = DatasetIndex.read(tmp.resolve("i"));
        assertThat(read.skipped()).extracting(s -> s.file() + " " + s.reason())
                .containsExactlyInAnyOrder("loop " + SkipReason.LINK_LOOP, "gone.png " + SkipReason.UNREADABLE);

        CliRunner.Result solve = CliRunner.run("solve", "-q", "-m", model.toString(), data.toString());
        assertThat(solve.exit()).as("a path that could not be read is a failure").isEqualTo(1);
        assertThat(solve.out().lines()).hasSize(6);
        assertThat(solve.err()).contains("loop").contains("links back");
    }

    @Test
    void aFolderOfOnlyBadFilesLeavesTheListOfWhyBehind() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("b"));
        Files.write(data.resolve("a.png"), new byte[0]);
        Files.writeString(data.resolve("b.png"), "x");
        Path out = tmp.resolve("o");
        CliRunner.Result r = CliRunner.run("index", "-q", "-d", data.toString(), "-o", out.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("all 2 files were skipped").contains("ZERO_BYTE=1").contains("NOT_AN_IMAGE=1")
                .contains(out.resolve("skipped.csv").toString());
        assertThat(Files.readAllLines(out.resolve("skipped.csv"))).hasSize(3);
    }

    @Test
    void fileNamesWithTabsOrNewlinesStayOnOneLineOfThreeFields() throws Exception {
        Path model = TestModels.sharedCrnn();
        DatasetIndex trained = DatasetIndex.read(new RunFolder(model).index());
        Path data = Files.createDirectories(tmp.resolve("odd"));
        Files.copy(trained.pathOf(trained.entries().get(0)), data.resolve("a\tb\nc\\d.png"));
        CliRunner.Result r = CliRunner.run("solve", "-q", "-m", model.toString(), data.resolve("a\tb\nc\\d.png").toString());
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0).split("\t")).hasSize(3);
        assertThat(lines.get(0)).startsWith(data + "/a\\tb\\nc\\\\d.png\t");
        assertThat(SolveCommand.tsv("plain")).isEqualTo("plain");
    }

    /**
     * An evaluation written to a 256 KB file system runs out of space: the error names the folder, and
     * neither a half-written report nor the staging folder is left behind. Needs a tmpfs mount (root);
     * elsewhere it is skipped.
     */
    @Test
    void anEvaluationThatRunsOutOfSpaceNamesTheFolderAndLeavesNothingHalfDone() throws Exception {
        Path model = TestModels.sharedCrnn();
        Path small = Files.createDirectories(tmp.resolve("small"));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", small.toString())
                .redirectErrorStream(true).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(mount.waitFor() == 0, "cannot mount a tmpfs here");
        try {
            Path out = small.resolve("results");
            CliRunner.Result r = CliRunner.run("evaluate", "-q", "-m", model.toString(), "-o", out.toString());
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.err().lines().count()).isEqualTo(1);
            assertThat(r.err()).contains(out.toString()).contains("No space left on device").contains("nothing was left");
            try (var left = Files.list(small)) {
                assertThat(left.toList()).as("nothing left in the full file system").isEmpty();
            }
        } finally {
            new ProcessBuilder("umount", small.toString()).start().waitFor();
        }
    }
}
