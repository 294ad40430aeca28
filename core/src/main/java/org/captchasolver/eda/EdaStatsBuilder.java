package org.captchasolver.eda;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Collects raw counts and turns them into {@link EdaStats} with one ordering rule (count descending,
 * then key), so that the local and the distributed analysis produce equal results from equal counts.
 */
public final class EdaStatsBuilder {
    private final Map<String, Long> chars = new TreeMap<>();
    private final Map<Integer, Long> lengths = new TreeMap<>();
    private final Map<String, Long> sizes = new TreeMap<>();
    private final Map<Integer, Long> channels = new TreeMap<>();
    private final ChannelStats.Accumulator[] rgb = {
        new ChannelStats.Accumulator(), new ChannelStats.Accumulator(), new ChannelStats.Accumulator()
    };
    private long images;
    private long sizeSample;
    private long intensitySample;

    public EdaStatsBuilder label(String label) {
        images++;
        lengths.merge(label.length(), 1L, Long::sum);
        label.codePoints().forEach(cp -> chars.merge(new String(Character.toChars(cp)), 1L, Long::sum));
        return this;
    }

    public EdaStatsBuilder addCounts(long images, Map<String, Long> charCounts, Map<Integer, Long> lengthCounts) {
        this.images += images;
        charCounts.forEach((k, v) -> chars.merge(k, v, Long::sum));
        lengthCounts.forEach((k, v) -> lengths.merge(k, v, Long::sum));
        return this;
    }

    public EdaStatsBuilder size(int width, int height, int channelCount, long count) {
        sizeSample += count;
        sizes.merge(width + "x" + height, count, Long::sum);
        channels.merge(channelCount, count, Long::sum);
        return this;
    }

    public EdaStatsBuilder intensity(ChannelStats.Accumulator r, ChannelStats.Accumulator g, ChannelStats.Accumulator b, long imageCount) {
        rgb[0].merge(r);
        rgb[1].merge(g);
        rgb[2].merge(b);
        intensitySample += imageCount;
        return this;
    }

    public EdaStats build() {
        Map<String, Long> charCounts = sortedByCount(chars);
        Map<String, Long> sizeCounts = sortedByCount(sizes);
        List<ChannelStats> stats = new ArrayList<>(3);
        String[] names = {"R", "G", "B"};
        for (int i = 0; i < 3; i++) {
            stats.add(rgb[i].finish(names[i]));
        }
        return new EdaStats(images, charCounts.size(),
                charCounts.isEmpty() ? null : charCounts.keySet().iterator().next(),
                charCounts, new LinkedHashMap<>(lengths), sizeSample, sizeCounts,
                sizeCounts.isEmpty() ? null : sizeCounts.keySet().iterator().next(),
                new LinkedHashMap<>(channels), intensitySample, stats);
    }

    private static <K extends Comparable<K>> Map<K, Long> sortedByCount(Map<K, Long> m) {
        Map<K, Long> out = new LinkedHashMap<>();
        m.entrySet().stream()
                .sorted(Map.Entry.<K, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }
}
