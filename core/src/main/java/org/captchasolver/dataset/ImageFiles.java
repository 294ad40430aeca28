package org.captchasolver.dataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Lazily lists the image files below a folder, by extension, case-insensitively, following symbolic
 * links. A folder that cannot be listed or a link that leads back into its own ancestry does not stop
 * the scan: it comes out as a {@link Found} with a {@link Found#problem() problem}, to be skipped and
 * reported like a bad file.
 */
public final class ImageFiles {
    public static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "gif");

    /**
     * A file found by the scan, or a path the scan could not go through.
     *
     * @param relative below the scanned folder, with forward slashes
     * @param problem  null for a readable image file; else why the path is skipped
     * @param detail   what went wrong, for the skip list (null for a readable file)
     */
    public record Found(Path path, String relative, long bytes, SkipReason problem, String detail) {
        /** A readable image file. */
        public Found(Path path, String relative, long bytes) {
            this(path, relative, bytes, null, null);
        }
    }

    private ImageFiles() {}

    public static boolean hasImageExtension(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /** Names Hadoop and Spark treat as hidden too (temp files, _SUCCESS markers), so both indexes see the same files. */
    public static boolean isHidden(String name) {
        return name.startsWith(".") || name.startsWith("_");
    }

    /**
     * The image files below {@code root}, depth first in directory order (as {@link Files#find} lists them).
     * The stream must be closed; it holds directory handles. Hidden files are left out.
     *
     * @throws org.captchasolver.common.CaptchaException if {@code root} is not a folder
     */
    public static Stream<Found> scan(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new org.captchasolver.common.CaptchaException(root + " is not a folder: pass --data with a folder of images");
        }
        Walker walker = new Walker(root.toAbsolutePath().normalize());
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(walker, Spliterator.ORDERED | Spliterator.NONNULL), false)
                .onClose(walker::close);
    }

    /** Depth-first over open directory streams, one per level; a folder's key is kept while it is being listed. */
    private static final class Walker implements Iterator<Found> {
        private record Level(DirectoryStream<Path> stream, Iterator<Path> entries, Object key) {}

        private final Path base;
        private final Deque<Level> open = new ArrayDeque<>();
        private final Set<Object> ancestors = new HashSet<>();
        private Found next;

        Walker(Path base) throws IOException {
            this.base = base;
            BasicFileAttributes attrs = Files.readAttributes(base, BasicFileAttributes.class);
            Found problem = enter(base, attrs.fileKey());
            if (problem != null) {
                close();
                throw new org.captchasolver.common.CaptchaException(base + " cannot be read: " + problem.detail());
            }
        }

        @Override
        public boolean hasNext() {
            while (next == null && !open.isEmpty()) {
                Level level = open.peek();
                if (!level.entries().hasNext()) {
                    leave();
                    continue;
                }
                next = visit(nextEntry(level));
            }
            return next != null;
        }

        @Override
        public Found next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Found f = next;
            next = null;
            return f;
        }

        private static Path nextEntry(Level level) {
            try {
                return level.entries().next();
            } catch (java.nio.file.DirectoryIteratorException e) {
                throw new UncheckedIOException(e.getCause());
            }
        }

        /** The entry as something to report, or null when there is nothing to report (a folder entered, a skipped name). */
        private Found visit(Path p) {
            String name = p.getFileName().toString();
            BasicFileAttributes attrs;
            try {
                attrs = Files.readAttributes(p, BasicFileAttributes.class);
            } catch (IOException e) {
                // A link to nothing, or a name that vanished: worth a line only if it looked like an image.
                return hasImageExtension(name) && !isHidden(name) ? problem(p, SkipReason.UNREADABLE, describe(e)) : null;
            }
            if (attrs.isDirectory()) {
                Object key = attrs.fileKey();
                if (key != null && ancestors.contains(key)) {
                    return problem(p, SkipReason.LINK_LOOP, "links back to a folder above it; not followed");
                }
                return enter(p, key);
            }
            if (attrs.isRegularFile() && !isHidden(name) && hasImageExtension(name)) {
                return new Found(p, relative(p), attrs.size());
            }
            return null;
        }

        private Found enter(Path dir, Object key) {
            try {
                DirectoryStream<Path> stream = Files.newDirectoryStream(dir);
                open.push(new Level(stream, stream.iterator(), key));
                if (key != null) {
                    ancestors.add(key);
                }
                return null;
            } catch (IOException e) {
                return problem(dir, SkipReason.UNREADABLE, "folder cannot be listed: " + describe(e));
            }
        }

        private void leave() {
            Level level = open.pop();
            if (level.key() != null) {
                ancestors.remove(level.key());
            }
            try {
                level.stream().close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void close() {
            while (!open.isEmpty()) {
                leave();
            }
        }

        private Found problem(Path p, SkipReason reason, String detail) {
            return new Found(p, relative(p), 0, reason, detail);
        }

        private String relative(Path p) {
            return base.relativize(p).toString().replace('\\', '/');
        }

        private static String describe(IOException e) {
            if (e instanceof java.nio.file.AccessDeniedException) {
                return "permission denied";
            }
            if (e instanceof java.nio.file.NoSuchFileException) {
                return "not found (a broken link?)";
            }
            return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
    }
}
