package org.captchasolver.dataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/** Lazily lists the image files below a folder, by extension, case-insensitively. */
public final class ImageFiles {
    public static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "gif");

    /** A file found by the scan; {@code relative} uses forward slashes. */
    public record Found(Path path, String relative, long bytes) {}

    private ImageFiles() {}

    public static boolean hasImageExtension(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /** Names Hadoop and Spark treat as hidden too (temp files, _SUCCESS markers), so both indexes see the same files. */
    public static boolean isHidden(String name) {
        return name.startsWith(".") || name.startsWith("_");
    }

    /** The stream must be closed; it holds directory handles. Hidden files are left out. */
    public static Stream<Found> scan(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new org.captchasolver.util.CaptchaException(root + " is not a folder: pass --data with a folder of images");
        }
        Path base = root.toAbsolutePath().normalize();
        return Files.find(base, Integer.MAX_VALUE, (p, attrs) -> {
                    String name = p.getFileName().toString();
                    return attrs.isRegularFile() && !isHidden(name) && hasImageExtension(name);
                }, FileVisitOption.FOLLOW_LINKS)
                .map(p -> {
                    try {
                        return new Found(p, base.relativize(p).toString().replace('\\', '/'), Files.size(p));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }
}
