package org.captchasolver.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.captchasolver.common.Json;
import org.captchasolver.dataset.ImageFiles;
import org.captchasolver.solve.CaptchaSolver;
import org.captchasolver.solve.Solution;
import org.captchasolver.util.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "solve", mixinStandardHelpOptions = true,
        description = "Read CAPTCHAs: prints file<TAB>text<TAB>confidence per image (or JSON lines).")
final class SolveCommand implements Callable<Integer> {
    @Mixin CaptchaCli.CommonOptions common = new CaptchaCli.CommonOptions();

    @Mixin EngineOption engineOption = new EngineOption();

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "MODEL",
            description = "A run folder from 'captcha train', a zip of one, or an exported .onnx file.")
    Path model;

    @Option(names = "--json", description = "One JSON object per line.")
    boolean json;

    @Option(names = "--min-confidence", paramLabel = "X", description = "Mark answers below this confidence as low (LOW column / \"low\": true).")
    Double minConfidence;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "Append the answers to FILE a batch at a time, with a"
            + " progress bar, instead of printing them. If FILE holds answers already, continue after the last one: rerun the"
            + " same command after an interruption and it solves only what is left.")
    Path out;

    @Parameters(arity = "1..*", paramLabel = "FILE|DIR", description = "Images, or folders searched recursively.")
    List<Path> inputs;

    @Override
    public Integer call() throws Exception {
        common.apply();
        int failed = 0;
        try (CaptchaSolver solver = CaptchaSolver.load(model, engineOption.engine, org.captchasolver.image.ImageDecoder.DEFAULT_MAX_PIXELS)) {
            List<Path> files = expand(inputs, problem -> System.err.println("error: " + problem));
            failed += unlisted;
            int first = out == null ? 0 : AnswerFile.resumeAt(out, files, json ? AnswerFile::jsonFile : AnswerFile::tsvFile);
            if (first > 0) {
                System.err.printf("%s: %d of %d images answered already; solving the other %d%n", out, first, files.size(),
                        files.size() - first);
            }
            PrintStream sink = out == null ? System.out : appendTo(out);
            try (Progress progress = out == null ? Progress.NONE : Progress.bar("solve", files.size() - first, "img")) {
                failed += solve(solver, files.subList(first, files.size()), sink, progress);
            } finally {
                if (sink != System.out) {
                    sink.close();
                }
            }
        }
        return failed > 0 ? 1 : 0;
    }

    /** Decodes a batch at a time and solves it together: several times faster than one by one. */
    private int solve(CaptchaSolver solver, List<Path> files, PrintStream sink, Progress progress) throws IOException {
        int failed = 0;
        for (int from = 0; from < files.size(); from += CaptchaSolver.BATCH) {
            List<Path> chunk = files.subList(from, Math.min(files.size(), from + CaptchaSolver.BATCH));
            List<Path> readable = new ArrayList<>();
            List<java.awt.image.BufferedImage> images = new ArrayList<>();
            for (Path file : chunk) {
                try {
                    images.add(solver.decode(file));
                    readable.add(file);
                } catch (RuntimeException e) {
                    System.err.println("error: " + e.getMessage());
                    failed++;
                }
            }
            List<Solution> solved = solver.solveAll(images);
            for (int i = 0; i < solved.size(); i++) {
                print(sink, readable.get(i), solved.get(i));
            }
            sink.flush(); // whole lines reach the file batch by batch: a kill loses at most the batch being written
            if (sink.checkError()) {
                throw new IOException("cannot write the answers" + (out == null ? "" : " to " + out) + " (disk full, or the reader went away?)");
            }
            progress.step(chunk.size());
        }
        return failed;
    }

    private static PrintStream appendTo(Path file) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        return new PrintStream(new java.io.BufferedOutputStream(Files.newOutputStream(file,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND), 1 << 16), false,
                java.nio.charset.StandardCharsets.UTF_8);
    }

    private void print(PrintStream sink, Path file, Solution s) throws java.io.IOException {
        boolean low = minConfidence != null && s.confidence() < minConfidence;
        if (json) {
            java.util.Map<String, Object> row = new java.util.LinkedHashMap<>();
            row.put("file", file.toString());
            row.put("text", s.text());
            row.put("confidence", s.confidence());
            row.put("chars", s.chars());
            if (minConfidence != null) {
                row.put("low", low);
            }
            sink.println(Json.MAPPER.writeValueAsString(row));
        } else {
            sink.printf("%s\t%s\t%.4f%s%n", tsv(file.toString()), tsv(s.text()), s.confidence(), low ? "\tLOW" : "");
        }
    }

    /**
     * A value for one tab-separated field: a backslash, tab, newline or carriage return in a file name
     * is written as {@code \\}, {@code \t}, {@code \n} or {@code \r}, so every answer stays on one line of three fields.
     */
    static String tsv(String value) {
        StringBuilder b = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\t' -> b.append("\\t");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** Paths a folder scan could not go through (an unreadable folder, a link loop), counted as failures. */
    private int unlisted;

    /**
     * Files as given; folders walked for images, in name order. Missing paths are reported by solve; paths a
     * scan could not go through are reported to {@code problems} and counted in {@link #unlisted}.
     */
    List<Path> expand(List<Path> inputs, java.util.function.Consumer<String> problems) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path p : inputs) {
            if (Files.isDirectory(p)) {
                List<Path> found = new ArrayList<>();
                try (Stream<ImageFiles.Found> s = ImageFiles.scan(p)) {
                    s.forEach(f -> {
                        if (f.problem() == null) {
                            found.add(f.path());
                        } else {
                            unlisted++;
                            problems.accept(f.path() + ": " + f.detail());
                        }
                    });
                }
                found.sort(null);
                out.addAll(found);
            } else {
                out.add(p);
            }
        }
        return out;
    }
}
