package org.captchasolver.dataset;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A few-labels experiment cut from an indexed set: a seeded sample of {@code n} images of its training split keeps
 * its labels (nine in ten for training, one in ten, at least one, for validation), its test split stays as it
 * is, and the rest of its training and validation images are what a user would have without labels.
 *
 * @param labelled   the sample and the test split, as an index
 * @param unlabelled the other training and validation images, their labels to be ignored
 */
public record FewLabels(DatasetIndex labelled, List<IndexEntry> unlabelled) {

    /**
     * @throws IllegalArgumentException when the training split has fewer than {@code n} images or {@code n < 2}
     */
    public static FewLabels sample(DatasetIndex index, int n, long seed) {
        List<IndexEntry> train = index.entries(Split.TRAIN);
        if (n < 2 || n > train.size()) {
            throw new IllegalArgumentException("cannot sample " + n + " labelled images from a training split of " + train.size());
        }
        List<IndexEntry> order = new ArrayList<>(EntryView.shuffled(train, new Random(seed), train.size()));
        int val = Math.max(1, n / 10);
        List<IndexEntry> entries = new ArrayList<>(n + index.entries(Split.TEST).size());
        for (int i = 0; i < n; i++) {
            entries.add(order.get(i).withSplit(i < val ? Split.VAL : Split.TRAIN));
        }
        entries.addAll(index.entries(Split.TEST));
        List<IndexEntry> rest = new ArrayList<>(order.subList(n, order.size()));
        rest.addAll(index.entries(Split.VAL));
        return new FewLabels(index.withEntries(entries, n + " labelled training images (seed " + seed + "), the test split"), rest);
    }
}
