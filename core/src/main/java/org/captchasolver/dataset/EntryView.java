package org.captchasolver.dataset;

import java.util.AbstractList;
import java.util.List;
import java.util.Random;
import java.util.RandomAccess;

/** Some entries of a list, in a given order, as positions into it: 4 bytes per entry, no copies. */
public final class EntryView extends AbstractList<IndexEntry> implements RandomAccess {
    private final List<IndexEntry> base;
    private final int[] positions;

    public EntryView(List<IndexEntry> base, int[] positions) {
        this.base = base;
        this.positions = positions;
    }

    /**
     * The first {@code limit} entries of a seeded shuffle of {@code base} (the same permutation as
     * {@code Collections.shuffle} with that {@code Random}).
     */
    public static EntryView shuffled(List<IndexEntry> base, Random rnd, int limit) {
        int[] p = new int[base.size()];
        for (int i = 0; i < p.length; i++) {
            p[i] = i;
        }
        for (int i = p.length; i > 1; i--) {
            int j = rnd.nextInt(i);
            int t = p[i - 1];
            p[i - 1] = p[j];
            p[j] = t;
        }
        return new EntryView(base, limit < p.length ? java.util.Arrays.copyOf(p, limit) : p);
    }

    @Override
    public IndexEntry get(int i) {
        return base.get(positions[i]);
    }

    @Override
    public int size() {
        return positions.length;
    }
}
