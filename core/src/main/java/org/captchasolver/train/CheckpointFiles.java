package org.captchasolver.train;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.captchasolver.common.Folders;

/**
 * One epoch's checkpoint: the last step's weights, their moving average and Adam's state. Each epoch
 * writes a new folder and the run's state.json then names it, so a run killed while writing resumes
 * from the previous, complete set rather than from weights one epoch newer than its counters.
 */
public record CheckpointFiles(Path dir) {
    private static final String PREFIX = "epoch-";
    /** The names the files had at the top of checkpoint/ before each epoch had a folder. */
    private static final List<String> FILES = List.of("last.params", "average.params", "adam.bin");

    public Path lastParams() { return dir.resolve("last.params"); }
    public Path averageParams() { return dir.resolve("average.params"); }
    public Path adamState() { return dir.resolve("adam.bin"); }

    static String folderName(int epoch) {
        return PREFIX + epoch;
    }

    /**
     * Deletes every checkpoint in {@code checkpointDir} but {@code kept}: other epochs' folders (the
     * previous one, or one a killed run half wrote), files of the older layout, and temp files a kill
     * left behind.
     */
    static void deleteAllBut(Path checkpointDir, CheckpointFiles kept) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(checkpointDir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                boolean otherEpoch = name.startsWith(PREFIX) && !name.equals(kept.dir().getFileName().toString());
                boolean leftover = FILES.contains(name) || (name.startsWith(".") && name.endsWith(".tmp"));
                if (otherEpoch || leftover) {
                    Folders.deleteRecursively(entry);
                }
            }
        }
    }
}
