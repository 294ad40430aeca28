package org.captchasolver.dataset;

/**
 * One usable image of a dataset.
 *
 * @param file     path relative to the dataset root, forward slashes
 * @param channels colour components of the decoded image, or -1 if only the header was read
 */
public record IndexEntry(String file, String label, int width, int height, int channels, long bytes, Split split) {

    public IndexEntry withSplit(Split s) {
        return new IndexEntry(file, label, width, height, channels, bytes, s);
    }
}
