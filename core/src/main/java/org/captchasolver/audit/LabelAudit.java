package org.captchasolver.audit;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import org.captchasolver.augment.Augmentation;
import org.captchasolver.common.CaptchaException;
import org.captchasolver.common.Json;
import org.captchasolver.common.Parallel;
import org.captchasolver.dataset.Batch;
import org.captchasolver.dataset.BatchStream;
import org.captchasolver.dataset.DatasetIndex;
import org.captchasolver.dataset.IndexEntry;
import org.captchasolver.dataset.Split;
import org.captchasolver.dataset.Splitter;
import org.captchasolver.model.Prediction;
import org.captchasolver.network.CaptchaModel;
import org.captchasolver.network.ScoringModel;
import org.captchasolver.solve.Engine;
import org.captchasolver.train.RunFolder;
import org.captchasolver.train.TrainConfig;
import org.captchasolver.train.TrainingRun;
import org.captchasolver.util.Csv;

/**
 * Lists the labelled images of a run whose label the model contradicts most confidently. Cross-validated: the
 * images (every split) are dealt into {@code folds} groups by a seeded hash of their name, and each group is read
 * by a model trained, with the run's own recipe, on the other groups, so no image is judged by a model that learnt
 * its label. A fold already trained (in {@code out/folds/N}) is reused: an interrupted audit goes on.
 *
 * @param folds      how many models to train, at least 2; each learns from (folds-1)/folds of the images
 * @param maxMinutes training budget of each fold's model
 */
public record LabelAudit(int folds, double maxMinutes) {
    /** The suspects' CSV, in {@code out}. */
    public static final String SUSPECTS_CSV = "suspects.csv";
    /** The page of thumbnails, in {@code out}. */
    public static final String PAGE = "audit.html";

    public LabelAudit {
        if (folds < 2) {
            throw new IllegalArgumentException("--folds must be at least 2");
        }
        if (!(maxMinutes > 0)) {
            throw new IllegalArgumentException("--max-minutes must be positive");
        }
    }

    /**
     * One image whose label the model reading it disagrees with.
     *
     * @param labelLoss the CTC loss of the given label under that model: {@code -ln P(label)}, the larger the surer it
     *                  is that the label is wrong
     * @param fold      the fold whose model read it
     */
    public record Suspect(String file, String label, String reading, double confidence, double labelLoss, int fold) {
        /**
         * How much likelier the model finds its reading than the label, as a natural log: {@code ln P(reading) -
         * ln P(label)}. An image the model cannot read (a low confidence) is not a confident contradiction, however
         * unlikely it finds the label.
         */
        public double logOdds() {
            return Math.log(Math.max(confidence, 1e-12)) + labelLoss;
        }
    }

    /**
     * Trains the fold models, reads every image with the model that did not learn it, and writes
     * {@value #SUSPECTS_CSV} and {@value #PAGE} into {@code out}.
     *
     * @param run a run folder (its index and training config are used; it need not have finished)
     * @return the suspects, most confidently contradicted first ({@link Suspect#logOdds})
     * @throws CaptchaException when {@code run} has no index or config, or a fold cannot be trained
     */
    public List<Suspect> run(Path run, Path out, PrintStream log) throws IOException {
        RunFolder folder = new RunFolder(run);
        if (!DatasetIndex.isIndexFolder(folder.index()) || !Files.isRegularFile(folder.config())) {
            throw new CaptchaException(run + " is not a training run (it needs index/ and " + folder.config().getFileName()
                    + "): pass the folder 'captcha train' wrote");
        }
        DatasetIndex index = DatasetIndex.read(folder.index());
        TrainConfig recipe = Json.read(folder.config(), TrainConfig.class).toBuilder().maxMinutes(maxMinutes).build();
        List<Suspect> suspects = new ArrayList<>();
        int images = 0;
        for (int f = 0; f < folds; f++) {
            DatasetIndex split = foldIndex(index, f, folds, recipe.seed());
            Path dir = out.resolve("folds").resolve(String.valueOf(f));
            log.printf("== fold %d of %d: training on %d images, reading %d%n", f + 1, folds,
                    split.entries(Split.TRAIN).size() + split.entries(Split.VAL).size(), split.entries(Split.TEST).size());
            trainFold(split, recipe, dir, log);
            List<IndexEntry> held = split.entries(Split.TEST);
            images += held.size();
            suspects.addAll(read(split, held, dir, f));
        }
        suspects.sort(Comparator.comparingDouble(Suspect::logOdds).reversed().thenComparing(Suspect::file));
        Files.createDirectories(out);
        Csv.write(out.resolve(SUSPECTS_CSV), List.of("file", "label", "reading", "confidence", "label_loss", "log_odds", "fold"),
                sink -> suspects.forEach(s -> sink.accept(List.of(s.file(), s.label(), s.reading(),
                        String.format(java.util.Locale.ROOT, "%.6f", s.confidence()),
                        String.format(java.util.Locale.ROOT, "%.4f", s.labelLoss()),
                        String.format(java.util.Locale.ROOT, "%.4f", s.logOdds()), s.fold()))));
        AuditPage.write(out.resolve(PAGE), index, suspects, images);
        log.printf("%d of %d images read otherwise than labelled; most suspect first in %s and %s%n", suspects.size(), images,
                out.resolve(SUSPECTS_CSV), out.resolve(PAGE));
        return suspects;
    }

    /** The run's images with fold {@code f} as the test split, and about a tenth of the rest for validation. */
    static DatasetIndex foldIndex(DatasetIndex index, int f, int folds, long seed) {
        List<IndexEntry> entries = new ArrayList<>(index.entries().size());
        for (IndexEntry e : index.entries()) {
            long h = Splitter.rank(~seed, e.file()); // not the split's own ranking (seed), which orders the splits
            Split s = Math.floorMod(h, (long) folds) == f ? Split.TEST : Math.floorMod(h >>> 32, 10L) == 0 ? Split.VAL : Split.TRAIN;
            entries.add(e.withSplit(s));
        }
        return index.withEntries(entries, "fold " + f + " of " + folds + " held out (seed " + seed + ")");
    }

    private void trainFold(DatasetIndex split, TrainConfig recipe, Path dir, PrintStream log) throws IOException {
        RunFolder fold = new RunFolder(dir);
        if (Files.isRegularFile(fold.state())) {
            TrainingRun.resume(dir, log); // a finished fold only rewrites its bundle
        } else {
            org.captchasolver.common.Folders.deleteRecursively(dir); // a fold killed before its first checkpoint
            TrainingRun.start(split, recipe, dir, log);
        }
    }

    private static List<Suspect> read(DatasetIndex index, List<IndexEntry> held, Path model, int fold) throws IOException {
        List<Suspect> out = new ArrayList<>();
        ExecutorService pool = Parallel.pool("audit-decode", Parallel.cores());
        try (ScoringModel m = ScoringModel.load(model, Engine.AUTO)) {
            BatchStream stream = new BatchStream(held, index::pathOf, m.spec().alphabetObject(), m.spec().maxLength(),
                    m.spec().input(), Augmentation.NONE, 64, 0, pool);
            for (Batch batch : stream) {
                if (batch.size() == 0) {
                    continue;
                }
                CaptchaModel.Scored scored = m.score(batch.pixels(), batch.size(), batch.classes(), batch.lengths());
                for (int i = 0; i < batch.size(); i++) {
                    IndexEntry e = batch.entries().get(i);
                    Prediction p = scored.predictions().get(i);
                    if (!p.text().equals(e.label())) {
                        out.add(new Suspect(e.file(), e.label(), p.text(), p.confidence(), scored.losses()[i], fold));
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return out;
    }
}
