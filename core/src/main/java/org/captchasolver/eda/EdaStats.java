package org.captchasolver.eda;

import java.util.List;
import java.util.Map;

/**
 * The numbers of an exploratory analysis, whoever computed them (the local sampler or a Spark job);
 * the figures are drawn from this alone.
 *
 * @param charCounts   every character with its count, most frequent first
 * @param sizeCounts   "WIDTHxHEIGHT" to count, most frequent first
 * @param channelCounts colour components per image to count
 * @param sizeSample   images the size and channel counts were taken over
 * @param intensitySample images the intensity statistics were taken over
 */
public record EdaStats(
        long images,
        int distinctChars,
        String mostCommonChar,
        Map<String, Long> charCounts,
        Map<Integer, Long> lengthCounts,
        long sizeSample,
        Map<String, Long> sizeCounts,
        String mostCommonSize,
        Map<Integer, Long> channelCounts,
        long intensitySample,
        List<ChannelStats> channels) {}
