package org.captchasolver.dataset;

import java.util.List;

/**
 * Decoded images ready for the network, with their labels as class ids.
 *
 * <p>A batch from a {@link BatchStream} lends its pixel array: it is valid until the stream's next batch
 * is asked for, or the iteration finds there is none.
 *
 * @param pixels  {@code size} images in CHW order, then possibly unused room
 * @param classes {@code size * maxLength} class ids, 0 past the end of each label
 * @param lengths label length of each image
 * @param skipped images of this batch that could not be decoded and were left out
 */
public record Batch(float[] pixels, int size, int[] classes, int[] lengths, List<IndexEntry> entries, int skipped) {}
