package org.captchasolver.spark;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;

/**
 * The jars a cluster's executors need to run our jobs and that a Spark distribution does not have: this
 * project's own modules and the libraries they read images and run models with. A session on a
 * cluster master ships them as {@code spark.jars}. Classes loaded from a folder (a build's
 * {@code target/classes}) are packed into a temporary jar first, so that jobs started from a build tree
 * ship the same code.
 */
public final class ExecutorJars {
    /** One class from each library the executors use; those not on this JVM's class path are skipped. */
    private static final List<String> MARKERS = List.of(
            "org.captchasolver.spark.SparkSolve", "org.captchasolver.dataset.Labeler",
            "org.captchasolver.solve.CaptchaSolver", "ai.onnxruntime.OrtEnvironment",
            "com.fasterxml.jackson.dataformat.csv.CsvMapper", "com.twelvemonkeys.imageio.ImageReaderBase",
            "com.twelvemonkeys.imageio.metadata.AbstractDirectory", "com.twelvemonkeys.lang.Validate",
            "com.twelvemonkeys.io.FastByteArrayOutputStream", "com.twelvemonkeys.image.ImageUtil");

    private static List<Path> found;

    private ExecutorJars() {}

    /**
     * The jars to ship, in a stable order: those of the marker libraries and of every image reader
     * plug-in this JVM has registered from TwelveMonkeys.
     *
     * @return absolute jar paths
     * @throws UncheckedIOException if a class folder cannot be packed
     */
    public static synchronized List<Path> paths() {
        if (found == null) {
            Set<Path> sources = new LinkedHashSet<>();
            for (String name : MARKERS) {
                try {
                    sources.add(sourceOf(Class.forName(name, false, ExecutorJars.class.getClassLoader())));
                } catch (ClassNotFoundException e) {
                    // an optional library this build does not have
                }
            }
            IIORegistry.getDefaultInstance().getServiceProviders(ImageReaderSpi.class, false).forEachRemaining(spi -> {
                if (spi.getClass().getName().startsWith("com.twelvemonkeys.")) {
                    sources.add(sourceOf(spi.getClass()));
                }
            });
            sources.remove(null);
            List<Path> jars = new ArrayList<>();
            for (Path p : sources) {
                jars.add(Files.isDirectory(p) ? pack(p) : p);
            }
            found = List.copyOf(jars);
        }
        return found;
    }

    private static Path sourceOf(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return null; // the JDK's own classes
        }
        try {
            return Path.of(source.getLocation().toURI()).toAbsolutePath().normalize();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }

    /** A folder of classes as a jar, deleted when this JVM exits. */
    private static Path pack(Path classes) {
        try {
            Path jar = Files.createTempFile("captcha-classes-", ".jar");
            jar.toFile().deleteOnExit();
            try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out);
                 Stream<Path> files = Files.walk(classes)) {
                for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                    zip.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                    Files.copy(f, zip);
                    zip.closeEntry();
                }
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot pack " + classes + " into a jar for the executors", e);
        }
    }
}
