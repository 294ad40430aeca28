package org.captchasolver.dataset;

import java.util.List;

/**
 * Decoded images ready for the network, with their labels as class ids.
 *
 * @param pixels  {@code size} images in CHW order
 * @param classes {@code size * maxLength} class ids, 0 past the end of each label
 * @param lengths label length of each image
 * @param skipped images of this batch that could not be decoded and were left out
 */
public record Batch(float[] pixels, int size, int[] classes, int[] lengths, List<IndexEntry> entries, int skipped) {}
