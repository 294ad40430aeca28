package org.captchasolver.dataset;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Deterministic stratified split and subset. Each file gets a rank from a seeded hash of its name,
 * so the result depends only on the set of files, the seed and the ratios, never on listing order
 * or thread timing, and a distributed job computes the same rank for the same row without
 * gathering the files anywhere (the Spark index uses {@link #rank} and {@link #splitOf} as they are).
 */
public final class Splitter {
    private Splitter() {}

    /** A well-mixed 64-bit rank of a file name under a seed. */
    public static long rank(long seed, String file) {
        long h = seed * 0x9E3779B97F4A7C15L;
        for (byte b : file.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001B3L;
            h ^= h >>> 29;
        }
        h = (h ^ (h >>> 30)) * 0xBF58476D1CE4E5B9L;
        h = (h ^ (h >>> 27)) * 0x94D049BB133111EBL;
        return h ^ (h >>> 31);
    }

    /** Order by rank, ties (never in practice) by name. */
    public static Comparator<IndexEntry> byRank(long seed) {
        return Comparator.<IndexEntry>comparingLong(e -> rank(seed, e.file())).thenComparing(IndexEntry::file);
    }

    /** The part of a stratum of {@code n} images that its {@code i}-th image (0-based, in rank order) goes to. */
    public static Split splitOf(long i, long n, SplitRatios ratios) {
        long nTrain = Math.round(n * ratios.train());
        long nVal = Math.min(Math.round(n * ratios.val()), n - nTrain);
        return i < nTrain ? Split.TRAIN : (i < nTrain + nVal ? Split.VAL : Split.TEST);
    }

    /** The {@code limit} images of lowest rank under a seed derived from {@code seed}. */
    public static List<IndexEntry> subset(List<IndexEntry> entries, int limit, long seed) {
        if (limit >= entries.size()) {
            return entries;
        }
        List<IndexEntry> sorted = new ArrayList<>(entries);
        sorted.sort(byRank(subsetSeed(seed)));
        return new ArrayList<>(sorted.subList(0, limit));
    }

    public static long subsetSeed(long seed) {
        return seed ^ 0x5DEECE66DL;
    }

    /** Splits each label-length stratum by the ratios; returns entries sorted by file. */
    public static List<IndexEntry> split(List<IndexEntry> entries, SplitRatios ratios, long seed) {
        Map<Integer, List<IndexEntry>> byLength = new TreeMap<>();
        for (IndexEntry e : entries) {
            byLength.computeIfAbsent(e.label().length(), k -> new ArrayList<>()).add(e);
        }
        List<IndexEntry> out = new ArrayList<>(entries.size());
        for (List<IndexEntry> group : byLength.values()) {
            group.sort(byRank(seed));
            for (int i = 0; i < group.size(); i++) {
                out.add(group.get(i).withSplit(splitOf(i, group.size(), ratios)));
            }
        }
        out.sort(Comparator.comparing(IndexEntry::file));
        return out;
    }
}
