package org.captchasolver.dataset;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.captchasolver.common.CaptchaException;

/** Every file of a folder was skipped: nothing to index, but the list of why is worth keeping. */
public final class NoUsableImagesException extends CaptchaException {
    private final transient List<SkippedFile> skipped;

    public NoUsableImagesException(String folder, List<SkippedFile> skipped) {
        super("no usable image in " + folder + ": all " + skipped.size() + " files were skipped ("
                + DatasetIndex.countByReason(skipped).entrySet().stream().filter(e -> e.getValue() > 0)
                        .map(e -> e.getKey() + "=" + e.getValue()).collect(java.util.stream.Collectors.joining(", ")) + ")");
        this.skipped = List.copyOf(skipped);
    }

    /** The files and why each was skipped. */
    public List<SkippedFile> skipped() {
        return skipped;
    }

    /**
     * Writes {@code skipped.csv} and {@code skipped.json} into {@code dir} and returns the exception to throw
     * instead, one whose message names the list.
     */
    public CaptchaException writtenTo(Path dir) throws IOException {
        DatasetIndex.writeSkipped(dir, skipped);
        return new CaptchaException(getMessage() + "; why each: " + dir.resolve(DatasetIndex.SKIPPED_CSV), this);
    }
}
