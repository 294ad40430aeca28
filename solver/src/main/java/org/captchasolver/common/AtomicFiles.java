package org.captchasolver.common;

import java.awt.image.RenderedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import javax.imageio.ImageIO;

/**
 * Writes files so that a reader never sees a half-written one: content goes to a temp file in the
 * same folder, then is renamed over the target. A crash leaves either the old file or the new one.
 */
public final class AtomicFiles {

    /** Receives the stream of the temp file. */
    @FunctionalInterface
    public interface StreamWriter {
        void write(OutputStream out) throws IOException;
    }

    private AtomicFiles() {}

    /**
     * Writes a file through a temporary file beside it, moved into place when complete.
     *
     * @throws IOException when it cannot be written; the target then keeps what it held
     */
    public static void write(Path target, StreamWriter writer) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        // Not createTempFile: its 0600 mode would make reports unreadable to other users.
        Path tmp = dir.resolve("." + target.getFileName() + "." + java.util.UUID.randomUUID() + ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                writer.write(out);
            }
            moveIntoPlace(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Moves a finished file (or folder) into place, replacing what was there. */
    public static void moveIntoPlace(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Writes UTF-8 text atomically, as {@link #write} does. */
    public static void writeString(Path target, String text) throws IOException {
        write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Writes a PNG atomically, as {@link #write} does. */
    public static void writePng(Path target, RenderedImage image) throws IOException {
        write(target, out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer available");
            }
        });
    }

    /** Writes pretty-printed JSON atomically, as {@link #write} does. */
    public static void writeJson(Path target, Object value) throws IOException {
        write(target, out -> Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(out, value));
    }

    /** For lambdas that cannot throw checked exceptions. */
    public static void writeJsonUnchecked(Path target, Object value) {
        try {
            writeJson(target, value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }
}
