package org.captchasolver.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFilesTest {
    @TempDir Path tmp;

    /** Prints what a scan finds, one line each: how the test below sees a scan run by another user. */
    public static void main(String[] args) throws Exception {
        try (Stream<ImageFiles.Found> found = ImageFiles.scan(Path.of(args[0]))) {
            found.forEach(f -> System.out.println(f.relative() + "\t" + (f.problem() == null ? "OK" : f.problem() + "\t" + f.detail())));
        }
    }

    @Test
    void aLoopAndABrokenLinkAreReportedAndTheScanGoesOn() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("d"));
        image(root.resolve("a.png"));
        image(Files.createDirectories(root.resolve("sub")).resolve("b.png"));
        Files.createSymbolicLink(root.resolve("sub/up"), Path.of(".."));
        Files.createSymbolicLink(root.resolve("gone.png"), root.resolve("missing.png"));
        List<String> lines = new ArrayList<>();
        try (Stream<ImageFiles.Found> found = ImageFiles.scan(root)) {
            found.forEach(f -> lines.add(f.relative() + " " + (f.problem() == null ? "OK" : f.problem())));
        }
        assertThat(lines).containsExactlyInAnyOrder("a.png OK", "sub/b.png OK", "sub/up LINK_LOOP", "gone.png UNREADABLE");
    }

    /**
     * A folder its user may not list is skipped as UNREADABLE and the rest is scanned. Root may list anything,
     * so the scan runs in a child JVM as {@code nobody} (setpriv); where that cannot be arranged the test is skipped.
     */
    @Test
    void aFolderThatCannotBeListedIsReportedAndTheScanGoesOn() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "no setpriv");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path root = Files.createDirectories(tmp.resolve("d"));
        image(root.resolve("a.png"));
        Path closed = Files.createDirectories(root.resolve("closed"));
        image(closed.resolve("b.png"));
        Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("rwx------"));
        String classpath = Path.of("target", "classes").toAbsolutePath() + ":" + Path.of("target", "test-classes").toAbsolutePath()
                + ":" + Path.of("..", "solver", "target", "classes").toAbsolutePath().normalize();
        Process child = new ProcessBuilder("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classpath, ImageFilesTest.class.getName(),
                root.toString()).redirectErrorStream(true).start();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(child.getInputStream().readAllBytes());
        Assumptions.assumeFalse(out.contains("Could not find or load main class") || out.contains("setpriv:"),
                "the classes are not readable by nobody here: " + out);
        assertThat(child.exitValue()).as(out).isZero();
        assertThat(out.lines()).containsExactlyInAnyOrder("a.png\tOK", "closed\tUNREADABLE\tfolder cannot be listed: permission denied");
    }

    private static void image(Path file) throws Exception {
        ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "png", file.toFile());
    }
}
