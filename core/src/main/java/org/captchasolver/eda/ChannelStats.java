package org.captchasolver.eda;

/** Intensity statistics of one colour channel, 0-255 scale, with a 256-bin histogram. */
public record ChannelStats(String channel, long pixels, double mean, double std, int min, int max, long[] histogram) {

    /** Mergeable accumulator; Spark combines these across partitions. */
    public static final class Accumulator implements java.io.Serializable {
        private final long[] hist = new long[256];

        public void add(int value) {
            hist[value]++;
        }

        public Accumulator merge(Accumulator other) {
            for (int i = 0; i < 256; i++) {
                hist[i] += other.hist[i];
            }
            return this;
        }

        public long[] histogram() {
            return hist;
        }

        /** Everything is derived from the histogram, so merged results are exact, not approximated. */
        public ChannelStats finish(String name) {
            return fromHistogram(name, hist);
        }
    }

    public static ChannelStats fromHistogram(String name, long[] hist) {
        long n = 0;
        double sum = 0;
        double sumSq = 0;
        int min = -1;
        int max = -1;
        for (int v = 0; v < 256; v++) {
            long c = hist[v];
            if (c == 0) {
                continue;
            }
            if (min < 0) {
                min = v;
            }
            max = v;
            n += c;
            sum += (double) c * v;
            sumSq += (double) c * v * v;
        }
        double mean = n == 0 ? 0 : sum / n;
        double var = n == 0 ? 0 : Math.max(0, sumSq / n - mean * mean);
        return new ChannelStats(name, n, mean, Math.sqrt(var), Math.max(min, 0), Math.max(max, 0), hist.clone());
    }
}
