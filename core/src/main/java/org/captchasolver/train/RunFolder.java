package org.captchasolver.train;

import java.nio.file.Path;

/** The files of a training run folder. The folder itself is the model bundle. */
public record RunFolder(Path dir) {
    public Path index() { return dir.resolve("index"); }
    public Path checkpointDir() { return dir.resolve("checkpoint"); }
    public Path lastParams() { return checkpointDir().resolve("last.params"); }
    public Path averageParams() { return checkpointDir().resolve("average.params"); }
    public Path adamState() { return checkpointDir().resolve("adam.bin"); }
    public Path state() { return checkpointDir().resolve("state.json"); }
    public Path config() { return dir.resolve("train_config.json"); }
    public Path lossMetrics() { return dir.resolve("loss_metrics.json"); }
    public Path bestMetrics() { return dir.resolve("best_metrics.json"); }
    public Path allMetrics() { return dir.resolve("all_metrics.json"); }
}
