package org.captchasolver.dataset;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.captchasolver.common.CaptchaException;
import org.captchasolver.common.Parallel;
import org.captchasolver.image.DecodedImage;
import org.captchasolver.image.ImageDecoder;
import org.captchasolver.image.ImageRejectedException;
import org.captchasolver.model.Alphabet;
import org.captchasolver.model.LabelRules;
import org.captchasolver.util.Progress;

/**
 * Builds a {@link DatasetIndex} from a folder: streams the file listing, labels and validates the
 * files on every core (no decoded image is kept), infers or checks the alphabet, then splits.
 */
public final class DatasetIndexer {
    private static final int CHUNK = 256;

    private final IndexOptions options;

    public DatasetIndexer(IndexOptions options) {
        this.options = options;
    }

    /** The per-file outcome: an entry or a skip. */
    private record Checked(IndexEntry entry, SkippedFile skipped) {}

    public DatasetIndex index(Path root) throws IOException {
        Path base = root.toAbsolutePath().normalize();
        Labeler labeler = Labeler.create(options.rules(), base);
        ImageDecoder decoder = new ImageDecoder(options.maxPixels());
        List<IndexEntry> entries = new ArrayList<>();
        List<SkippedFile> skipped = new ArrayList<>();
        int threads = Parallel.cores();
        ExecutorService pool = Parallel.pool("index", threads);
        try (Stream<ImageFiles.Found> files = ImageFiles.scan(base);
             Progress bar = Progress.bar("index", -1, "files")) {
            // Bounded look-ahead: a few chunks in flight per core, so a million files never queue up at once.
            ArrayDeque<Future<List<Checked>>> inFlight = new ArrayDeque<>();
            Iterator<ImageFiles.Found> it = files.iterator();
            List<ImageFiles.Found> chunk = new ArrayList<>(CHUNK);
            while (it.hasNext()) {
                chunk.add(it.next());
                if (chunk.size() == CHUNK || !it.hasNext()) {
                    List<ImageFiles.Found> work = chunk;
                    chunk = new ArrayList<>(CHUNK);
                    inFlight.add(pool.submit(() -> work.stream().map(f -> check(f, labeler, decoder)).toList()));
                    while (inFlight.size() > threads * 4) {
                        drain(inFlight.poll(), entries, skipped, bar);
                    }
                }
            }
            while (!inFlight.isEmpty()) {
                drain(inFlight.poll(), entries, skipped, bar);
            }
        } finally {
            pool.shutdownNow();
        }
        if (entries.isEmpty() && skipped.isEmpty()) {
            throw new CaptchaException("no images (jpg, jpeg, png, bmp, gif) found in " + base);
        }
        if (!labeler.usesManifest() && options.rules().regex() == null) {
            List<IndexEntry> found = entries;
            var convention = LabelPatterns.detect(new java.util.AbstractList<String>() { // a view: no copy of a million names
                @Override
                public String get(int i) {
                    return stem(found.get(i).file());
                }

                @Override
                public int size() {
                    return found.size();
                }
            });
            if (convention.isPresent()) {
                throw new CaptchaException(convention.get().advice(base.toString()));
            }
        }
        Alphabet alphabet = options.rules().charset() != null
                ? new Alphabet(options.rules().charset())
                : entries.isEmpty() ? null : Alphabet.infer(entries.stream().map(IndexEntry::label).toList());
        if (alphabet == null) {
            skipped.sort(Comparator.comparing(SkippedFile::file));
            throw new NoUsableImagesException(base.toString(), skipped);
        }
        List<IndexEntry> kept = options.limit() == null ? entries : Splitter.subset(entries, options.limit(), options.seed());
        List<IndexEntry> split = Splitter.split(kept, options.ratios(), options.seed());
        skipped.sort(Comparator.comparing(SkippedFile::file));
        IndexSummary summary = new IndexSummary(
                base.toString(), split.size(), skipped.size(), DatasetIndex.countByReason(skipped),
                splitSizes(split), alphabet.chars(), options.rules().charset() != null, options.rules(),
                labelSource(labeler, options.rules()),
                options.ratios().toString(), options.seed(), options.limit(),
                options.fullDecode() ? "full decode" : "header only", fingerprint(split));
        return new DatasetIndex(base, split, List.copyOf(skipped), alphabet, summary);
    }

    private static void drain(Future<List<Checked>> f, List<IndexEntry> entries, List<SkippedFile> skipped, Progress bar) {
        try {
            List<Checked> results = f.get();
            for (Checked c : results) {
                if (c.entry() != null) {
                    entries.add(c.entry());
                } else {
                    skipped.add(c.skipped());
                }
            }
            bar.step(results.size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CaptchaException("indexing interrupted");
        } catch (ExecutionException e) {
            throw new CaptchaException("indexing failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private Checked check(ImageFiles.Found f, Labeler labeler, ImageDecoder decoder) {
        if (f.problem() != null) {
            return skip(f, f.problem(), f.detail());
        }
        if (f.bytes() == 0) {
            return skip(f, SkipReason.ZERO_BYTE, "0 bytes");
        }
        Labeler.Outcome label = labeler.label(f.relative());
        if (!label.accepted()) {
            return skip(f, label.reason(), label.detail());
        }
        try {
            DecodedImage img = options.fullDecode() ? decoder.decode(f.path()) : new DecodedImage(decoder.probe(f.path()), null);
            var h = img.header();
            return new Checked(new IndexEntry(f.relative(), label.label(), h.width(), h.height(), h.channels(), f.bytes(), Split.TRAIN), null);
        } catch (ImageRejectedException e) {
            return skip(f, SkipReason.of(e.kind()), e.getMessage());
        }
    }

    private static String stem(String relativePath) {
        String name = relativePath.substring(relativePath.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private static Checked skip(ImageFiles.Found f, SkipReason reason, String detail) {
        return new Checked(null, new SkippedFile(f.relative(), reason, detail == null ? "" : detail));
    }

    public static String labelSource(Labeler labeler, LabelRules rules) {
        return labeler.usesManifest() ? "manifest" : rules.regex() != null ? "regex" : "file name";
    }

    private static Map<String, Integer> splitSizes(List<IndexEntry> entries) {
        Map<String, Integer> sizes = new LinkedHashMap<>();
        for (Split s : Split.values()) {
            sizes.put(s.id(), (int) entries.stream().filter(e -> e.split() == s).count());
        }
        return sizes;
    }

    static String fingerprint(List<IndexEntry> entries) {
        Fingerprint f = new Fingerprint();
        entries.forEach(f::add);
        return f.hex();
    }
}
