package org.captchasolver.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.captchasolver.common.CaptchaException;

/** The files of a training run folder. The folder itself is the model bundle. */
public record RunFolder(Path dir) {
    public Path index() { return dir.resolve("index"); }
    public Path checkpointDir() { return dir.resolve("checkpoint"); }
    /** Names the epoch the checkpoint holds; written after that epoch's files, so it never names a half-written set. */
    public Path state() { return checkpointDir().resolve("state.json"); }
    public Path config() { return dir.resolve("train_config.json"); }
    public Path lossMetrics() { return dir.resolve("loss_metrics.json"); }
    public Path bestMetrics() { return dir.resolve("best_metrics.json"); }
    public Path allMetrics() { return dir.resolve("all_metrics.json"); }

    /** Where an epoch's checkpoint files are written: a folder of their own, next to the previous epoch's. */
    public CheckpointFiles checkpoint(int epoch) {
        return new CheckpointFiles(checkpointDir().resolve(CheckpointFiles.folderName(epoch)));
    }

    /**
     * The files {@link #state()} names for an epoch: its folder, or, for checkpoints written before each
     * epoch had one, the files at the top of {@link #checkpointDir()}.
     */
    public CheckpointFiles savedCheckpoint(int epoch) {
        CheckpointFiles named = checkpoint(epoch);
        CheckpointFiles olderLayout = new CheckpointFiles(checkpointDir());
        for (CheckpointFiles files : List.of(named, olderLayout)) {
            if (Files.isRegularFile(files.lastParams())) {
                return files;
            }
        }
        throw new CaptchaException(state() + " names epoch " + epoch + " but " + named.lastParams()
                + " is missing: the checkpoint is incomplete, train a new run (another --out)");
    }
}
