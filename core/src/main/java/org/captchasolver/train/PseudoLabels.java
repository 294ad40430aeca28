package org.captchasolver.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.Trainer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.stream.Stream;
import org.captchasolver.augment.Augmentation;
import org.captchasolver.common.CaptchaException;
import org.captchasolver.dataset.Batch;
import org.captchasolver.dataset.BatchStream;
import org.captchasolver.dataset.DatasetIndex;
import org.captchasolver.dataset.EntryView;
import org.captchasolver.dataset.ImageFiles;
import org.captchasolver.dataset.IndexEntry;
import org.captchasolver.dataset.PixelBuffers;
import org.captchasolver.dataset.Split;
import org.captchasolver.model.ModelSpec;
import org.captchasolver.model.Prediction;
import org.captchasolver.network.CaptchaModel;
import org.captchasolver.network.NetworkInput;
import org.captchasolver.util.Csv;

/**
 * Self-training on images without labels ({@code captcha train --unlabelled DIR}). Once the model reads (half the
 * validation characters), every epoch ends with the validated weights reading the unlabelled images; the readings
 * at or above {@link #THRESHOLD} confidence, of a length the labels have, become the pseudo-labels the next epoch
 * trains on (augmented, like every training image once the model reads), half of each epoch, the labelled images
 * the other half. They are recomputed every epoch, so an early mistake is not kept, and written to
 * {@value #CSV} in the run folder for inspection. The user's labels are never replaced: an image that is also in
 * the labelled set is left out of the unlabelled ones.
 */
final class PseudoLabels {
    /** The run folder's list of the pseudo-labels the last epoch accepted. */
    static final String CSV = "pseudo_labels.csv";
    /** Readings at least this confident become pseudo-labels (docs/accuracy.md, "Few labels"). */
    static final double THRESHOLD = 0.9;
    private static final int BATCH = 64;

    private final List<IndexEntry> pool;
    private final int minLength;
    private final int maxLength;
    private List<IndexEntry> accepted = List.of();

    private PseudoLabels(List<IndexEntry> pool, int minLength, int maxLength) {
        this.pool = pool;
        this.minLength = minLength;
        this.maxLength = maxLength;
    }

    /**
     * The images under {@code dir}, less those the labelled index holds.
     *
     * @throws CaptchaException when {@code dir} is not a folder or holds no image apart from labelled ones
     */
    static PseudoLabels scan(Path dir, DatasetIndex index, PrintStream log) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new CaptchaException("--unlabelled " + dir + " is not a folder: pass a folder of images");
        }
        Set<Path> labelled = new HashSet<>();
        int minLength = Integer.MAX_VALUE;
        for (IndexEntry e : index.entries()) {
            labelled.add(index.pathOf(e).toAbsolutePath().normalize());
            if (e.split() != Split.TEST) {
                minLength = Math.min(minLength, e.label().length());
            }
        }
        List<IndexEntry> pool = new ArrayList<>();
        int overlap = 0;
        try (Stream<ImageFiles.Found> found = ImageFiles.scan(dir)) {
            for (ImageFiles.Found f : (Iterable<ImageFiles.Found>) found::iterator) {
                if (f.problem() != null) {
                    continue;
                }
                Path abs = f.path().toAbsolutePath().normalize();
                if (labelled.contains(abs)) {
                    overlap++;
                    continue;
                }
                pool.add(new IndexEntry(abs.toString(), "", 0, 0, 0, f.bytes(), Split.TRAIN));
            }
        }
        if (pool.isEmpty()) {
            throw new CaptchaException("--unlabelled " + dir + " holds no images apart from labelled ones");
        }
        log.printf("Self-training on %d unlabelled images from %s%s%n", pool.size(), dir,
                overlap > 0 ? " (" + overlap + " left out: they have labels)" : "");
        return new PseudoLabels(pool, minLength == Integer.MAX_VALUE ? 1 : minLength, index.maxLabelLength());
    }

    /** The pseudo-labelled images the next epoch trains on (empty until the model reads). */
    List<IndexEntry> accepted() {
        return accepted;
    }

    /** How many unlabelled images there are. */
    int poolSize() {
        return pool.size();
    }

    /**
     * Reads every unlabelled image with the network as the trainer holds it, keeps the confident readings, and
     * writes them to {@code csv}.
     */
    void relabel(Trainer trainer, ModelSpec spec, DatasetIndex index, ExecutorService decoders, PixelBuffers pixels, int epoch,
                 Path csv) throws IOException {
        BatchStream stream = new BatchStream(pool, index::pathOf, spec.alphabetObject(), spec.maxLength(), spec.input(),
                Augmentation.NONE, BATCH, 0, decoders, pixels);
        List<IndexEntry> kept = new ArrayList<>();
        List<Double> confidence = new ArrayList<>();
        for (Batch batch : stream) {
            if (batch.size() == 0) {
                continue;
            }
            try (NDManager scope = trainer.getManager().newSubManager()) {
                NDArray x = NetworkInput.of(scope, spec, batch.pixels(), batch.size());
                NDList out = trainer.evaluate(new NDList(x));
                List<Prediction> read = CaptchaModel.decode(spec, out.singletonOrThrow().softmax(2));
                for (int i = 0; i < batch.size(); i++) {
                    Prediction p = read.get(i);
                    int n = p.text().length();
                    if (p.confidence() >= THRESHOLD && n >= minLength && n <= maxLength) {
                        IndexEntry e = batch.entries().get(i);
                        kept.add(new IndexEntry(e.file(), p.text(), e.width(), e.height(), e.channels(), e.bytes(), Split.TRAIN));
                        confidence.add((double) p.confidence());
                    }
                }
            }
        }
        accepted = kept;
        Csv.write(csv, List.of("file", "label", "confidence", "epoch"), sink -> {
            for (int i = 0; i < kept.size(); i++) {
                sink.accept(List.of(kept.get(i).file(), kept.get(i).label(), String.format(java.util.Locale.ROOT, "%.4f",
                        confidence.get(i)), epoch));
            }
        });
    }

    /**
     * One epoch's images: {@code count} of them, the labelled ones cycled through in shuffled passes, and once there
     * are pseudo-labels, half of the epoch drawn from those instead.
     */
    List<IndexEntry> epochOrder(List<IndexEntry> labelled, Random rnd, int count) {
        int fromPseudo = accepted.isEmpty() ? 0 : count / 2;
        List<IndexEntry> order = new ArrayList<>(count);
        cycle(labelled, rnd, count - fromPseudo, order);
        cycle(accepted, rnd, fromPseudo, order);
        java.util.Collections.shuffle(order, rnd);
        return order;
    }

    private static void cycle(List<IndexEntry> from, Random rnd, int count, List<IndexEntry> into) {
        while (count > 0) {
            List<IndexEntry> pass = EntryView.shuffled(from, rnd, Math.min(count, from.size()));
            into.addAll(pass);
            count -= pass.size();
        }
    }
}
