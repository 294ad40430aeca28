package org.captchasolver.dataset;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.captchasolver.common.AtomicFiles;
import org.captchasolver.common.CaptchaException;
import org.captchasolver.common.Json;
import org.captchasolver.model.Alphabet;
import org.captchasolver.util.Csv;
import org.captchasolver.util.CsvRow;

/**
 * An indexed dataset: usable images with labels and split, the files that were left out and why,
 * and the alphabet. Saved as {@code index.csv}, {@code skipped.csv}, {@code skipped.json} and
 * {@code index.json}; training and evaluation read the split from here, so they use exactly the same files.
 */
public record DatasetIndex(Path root, List<IndexEntry> entries, List<SkippedFile> skipped, Alphabet alphabet,
                           IndexSummary summary) {

    public static final String INDEX_CSV = "index.csv";
    public static final String SUMMARY_JSON = "index.json";
    public static final String SKIPPED_CSV = "skipped.csv";
    public static final String SKIPPED_JSON = "skipped.json";

    /** The entries of one split, as a view (no copies of the entries). */
    public List<IndexEntry> entries(Split split) {
        int[] positions = new int[entries.size()];
        int n = 0;
        CompactEntries compact = entries instanceof CompactEntries c ? c : null;
        for (int i = 0; i < entries.size(); i++) {
            if ((compact != null ? compact.split(i) : entries.get(i).split()) == split) {
                positions[n++] = i;
            }
        }
        return new EntryView(entries, java.util.Arrays.copyOf(positions, n));
    }

    /**
     * The same images' folder, skip report and alphabet with other entries (a sample, or other splits), the summary's
     * counts recomputed and {@code how} recorded as its split.
     */
    public DatasetIndex withEntries(List<IndexEntry> other, String how) {
        Map<String, Integer> sizes = new java.util.LinkedHashMap<>();
        for (Split s : Split.values()) {
            sizes.put(s.id(), 0);
        }
        for (IndexEntry e : other) {
            sizes.merge(e.split().id(), 1, Integer::sum);
        }
        IndexSummary s = summary;
        IndexSummary derived = new IndexSummary(s.dataRoot(), other.size(), s.skipped(), s.skippedByReason(), sizes, s.alphabet(),
                s.alphabetFixed(), s.labelRules(), s.labelSource(), how, s.seed(), s.limit(), s.verify(), s.fingerprint());
        return new DatasetIndex(root, other, skipped, alphabet, derived);
    }

    public Path pathOf(IndexEntry e) {
        return root.resolve(e.file());
    }

    public int maxLabelLength() {
        int max = 0;
        CompactEntries compact = entries instanceof CompactEntries c ? c : null;
        for (int i = 0; i < entries.size(); i++) {
            max = Math.max(max, compact != null ? compact.labelLength(i) : entries.get(i).label().length());
        }
        return max;
    }

    public static boolean isIndexFolder(Path dir) {
        return Files.isRegularFile(dir.resolve(SUMMARY_JSON)) && Files.isRegularFile(dir.resolve(INDEX_CSV));
    }

    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        List<String> header = List.of("file", "label", "split", "width", "height", "channels", "bytes");
        if (entries instanceof CompactEntries compact) {
            AtomicFiles.write(dir.resolve(INDEX_CSV), out -> writeCompact(compact, header, out));
        } else {
            Csv.write(dir.resolve(INDEX_CSV), header, sink -> entries.forEach(e -> sink.accept(List.of(e.file(), e.label(),
                    e.split().id(), e.width(), e.height(), e.channels(), e.bytes()))));
        }
        writeSkipped(dir, skipped);
        AtomicFiles.writeJson(dir.resolve(SUMMARY_JSON), summary);
    }

    /** The same CSV as {@link Csv#write} makes, from the packed bytes: a million entries, next to no garbage. */
    private static void writeCompact(CompactEntries compact, List<String> header, OutputStream target) throws IOException {
        OutputStream out = new BufferedOutputStream(target, 1 << 16);
        out.write((String.join(",", header) + "\n").getBytes(StandardCharsets.US_ASCII));
        byte[] digits = new byte[20];
        byte[][] splitIds = new byte[Split.values().length][];
        for (Split s : Split.values()) {
            splitIds[s.ordinal()] = s.id().getBytes(StandardCharsets.US_ASCII);
        }
        for (int i = 0; i < compact.size(); i++) {
            compact.writeCsvCell(i, false, out);
            out.write(',');
            compact.writeCsvCell(i, true, out);
            out.write(',');
            out.write(splitIds[compact.split(i).ordinal()]);
            writeNumber(compact.width(i), digits, out);
            writeNumber(compact.height(i), digits, out);
            writeNumber(compact.channels(i), digits, out);
            writeNumber(compact.bytes(i), digits, out);
            out.write('\n');
        }
        out.flush();
    }

    /** Writes ",v" without making a string of it. */
    private static void writeNumber(long v, byte[] digits, OutputStream out) throws IOException {
        out.write(',');
        if (v < 0) {
            out.write('-');
            v = -v;
        }
        int n = 0;
        do {
            digits[n++] = (byte) ('0' + v % 10);
            v /= 10;
        } while (v > 0);
        while (n > 0) {
            out.write(digits[--n]);
        }
    }

    /** The skip report, as CSV for spreadsheets and JSON with counts per reason. */
    public static void writeSkipped(Path dir, List<SkippedFile> skipped) throws IOException {
        Csv.write(dir.resolve(SKIPPED_CSV), List.of("file", "reason", "detail"),
                sink -> skipped.forEach(s -> sink.accept(List.of(s.file(), s.reason().name(), s.detail()))));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("skipped", skipped.size());
        json.put("byReason", countByReason(skipped));
        json.put("files", skipped);
        AtomicFiles.writeJson(dir.resolve(SKIPPED_JSON), json);
    }

    public static Map<String, Integer> countByReason(List<SkippedFile> skipped) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (SkipReason r : SkipReason.values()) {
            int n = (int) skipped.stream().filter(s -> s.reason() == r).count();
            if (n > 0) {
                counts.put(r.name(), n);
            }
        }
        return counts;
    }

    private static final Split[] SPLITS = Split.values();

    private static Split split(CsvRow row, int cell) {
        for (Split s : SPLITS) {
            if (row.cellEquals(cell, s.id())) {
                return s;
            }
        }
        return Split.parse(row.string(cell)); // other spellings, or the error naming the text
    }

    public static DatasetIndex read(Path dir) throws IOException {
        if (!isIndexFolder(dir)) {
            throw new CaptchaException(dir + " is not an index folder (no " + SUMMARY_JSON + "/" + INDEX_CSV
                    + "): run 'captcha index --data DIR --out " + dir + "' first");
        }
        IndexSummary summary = Json.read(dir.resolve(SUMMARY_JSON), IndexSummary.class);
        Path csv = dir.resolve(INDEX_CSV);
        // Every file name and label byte is in the CSV, so its size bounds the text; a row takes 30+ bytes.
        long csvBytes = Files.size(csv);
        CompactEntries entries = new CompactEntries((int) Math.min(csvBytes / 32, 1 << 28), (int) Math.min(csvBytes, 1 << 30));
        int[] c = new int[7];
        Csv.readRows(csv, h -> {
            String[] names = {"file", "label", "split", "width", "height", "channels", "bytes"};
            for (int i = 0; i < names.length; i++) {
                c[i] = Csv.column(h, names[i], csv);
            }
        }, r -> {
            try {
                entries.append(r, c[0], c[1], r.parseInt(c[3]), r.parseInt(c[4]), r.parseInt(c[5]), r.parseLong(c[6]),
                        split(r, c[2]));
            } catch (RuntimeException e) {
                throw new CaptchaException(csv + ": bad row '" + r + "': " + e.getMessage());
            }
        });
        List<SkippedFile> skipped = new ArrayList<>();
        Path sk = dir.resolve(SKIPPED_CSV);
        if (Files.isRegularFile(sk)) {
            Csv.read(sk, h -> {}, r -> skipped.add(new SkippedFile(r[0], SkipReason.valueOf(r[1]), r.length > 2 ? r[2] : "")));
        }
        return new DatasetIndex(Path.of(summary.dataRoot()), entries, skipped, new Alphabet(summary.alphabet()), summary);
    }
}
