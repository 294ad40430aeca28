package org.captchasolver.cli;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.captchasolver.common.CaptchaException;
import org.captchasolver.common.Json;

/**
 * The {@code solve --out} file: answers appended a batch at a time, so a killed run leaves complete lines and at most
 * one partial line. A rerun over the same inputs drops the partial line and continues after the file of the last
 * complete one: nothing is solved twice and nothing is held in memory but the listing.
 */
final class AnswerFile {
    private static final int TAIL = 64 * 1024;

    private AnswerFile() {}

    /**
     * Where a rerun starts in {@code files}: 0 for a new or empty file, else one past the file the last complete line
     * answers. Cuts a partial last line off the file.
     *
     * @param fileOf the file field of one line as {@code files} spell it (TSV and JSON lines differ)
     * @throws CaptchaException when the last answer names a file that is not among {@code files}
     */
    static int resumeAt(Path out, List<Path> files, Function<String, String> fileOf) throws IOException {
        if (!Files.exists(out)) {
            return 0;
        }
        try (RandomAccessFile f = new RandomAccessFile(out.toFile(), "rw")) {
            Tail tail = Tail.of(out, f);
            int next = 0;
            if (tail.lastLine() != null) {
                String name;
                try {
                    name = fileOf.apply(tail.lastLine());
                } catch (CaptchaException e) {
                    throw new CaptchaException(out + ": " + e.getMessage());
                }
                next = indexAfter(files, name);
                if (next < 0) {
                    throw new CaptchaException(out + ": its last answer is for " + name + ", which is not among the images"
                            + " given; give the same images as the run that wrote it, or a new --out");
                }
            }
            f.setLength(tail.completeLength()); // only once the file is known to be ours
            return next;
        }
    }

    private static int indexAfter(List<Path> files, String name) {
        // Searched from the end: the answered prefix is usually most of the listing.
        for (int i = files.size() - 1; i >= 0; i--) {
            if (files.get(i).toString().equals(name)) {
                return i + 1;
            }
        }
        return -1;
    }

    /** The end of the file: its length up to the last line break, and the last complete line (null if none). */
    private record Tail(long completeLength, String lastLine) {
        static Tail of(Path out, RandomAccessFile f) throws IOException {
            long length = f.length();
            long from = Math.max(0, length - TAIL);
            byte[] tail = new byte[(int) (length - from)];
            f.seek(from);
            f.readFully(tail);
            int end = lastNewline(tail, tail.length);
            int start = end < 0 ? -1 : lastNewline(tail, end) + 1;
            if (from > 0 && start <= 0) {
                throw new CaptchaException(out + ": a line longer than " + TAIL + " bytes; is it an output of 'solve'?");
            }
            return end < 0 ? new Tail(0, null)
                    : new Tail(from + end + 1, new String(tail, start, end - start, StandardCharsets.UTF_8));
        }
    }

    /** The file field of a line {@code solve} wrote as JSON. */
    static String jsonFile(String line) {
        try {
            String file = Json.MAPPER.readTree(line).path("file").asText(null);
            if (file == null) {
                throw new CaptchaException("a JSON line without \"file\": " + abbreviate(line) + "; use a new --out");
            }
            return file;
        } catch (IOException e) {
            throw new CaptchaException("not a JSON line of 'solve --json': " + abbreviate(line) + "; solve again without --json or use a new --out");
        }
    }

    /** The file field of a tab-separated line, as {@link SolveCommand#tsv} wrote it, unescaped. */
    static String tsvFile(String line) {
        int tab = line.indexOf('\t');
        if (tab < 0 || line.startsWith("{")) {
            throw new CaptchaException("not a tab-separated line of 'solve': " + abbreviate(line) + "; add --json or use a new --out");
        }
        String field = line.substring(0, tab);
        StringBuilder b = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 1 < field.length()) {
                char n = field.charAt(++i);
                b.append(switch (n) {
                    case 't' -> '\t';
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    default -> n;
                });
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static int lastNewline(byte[] bytes, int before) {
        for (int i = before - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static String abbreviate(String line) {
        return line.length() <= 80 ? line : line.substring(0, 77) + "...";
    }
}
