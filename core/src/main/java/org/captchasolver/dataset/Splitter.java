package org.captchasolver.dataset;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Deterministic stratified split and subset. Entries are first sorted by file name, so the result
 * depends only on the set of files, the seed and the ratios, never on directory listing order.
 */
public final class Splitter {
    private Splitter() {}

    public static List<IndexEntry> subset(List<IndexEntry> entries, int limit, long seed) {
        if (limit >= entries.size()) {
            return entries;
        }
        List<IndexEntry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparing(IndexEntry::file));
        Collections.shuffle(sorted, new Random(seed));
        return new ArrayList<>(sorted.subList(0, limit));
    }

    /** Splits each label-length stratum by the ratios; returns entries sorted by file. */
    public static List<IndexEntry> split(List<IndexEntry> entries, SplitRatios ratios, long seed) {
        Map<Integer, List<IndexEntry>> byLength = new TreeMap<>();
        for (IndexEntry e : entries) {
            byLength.computeIfAbsent(e.label().length(), k -> new ArrayList<>()).add(e);
        }
        List<IndexEntry> out = new ArrayList<>(entries.size());
        for (Map.Entry<Integer, List<IndexEntry>> stratum : byLength.entrySet()) {
            List<IndexEntry> group = stratum.getValue();
            group.sort(Comparator.comparing(IndexEntry::file));
            Collections.shuffle(group, new Random(seed * 1_000_003L + stratum.getKey()));
            int n = group.size();
            int nTrain = (int) Math.round(n * ratios.train());
            int nVal = (int) Math.round(n * ratios.val());
            if (nTrain + nVal > n) {
                nVal = n - nTrain;
            }
            for (int i = 0; i < n; i++) {
                Split s = i < nTrain ? Split.TRAIN : (i < nTrain + nVal ? Split.VAL : Split.TEST);
                out.add(group.get(i).withSplit(s));
            }
        }
        out.sort(Comparator.comparing(IndexEntry::file));
        return out;
    }
}
