package org.captchasolver.server;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Request and error counts, and latency percentiles over the most recent requests. */
final class RequestMetrics {
    private static final int WINDOW = 10_000;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong images = new AtomicLong();
    private final double[] latencies = new double[WINDOW];
    private long recorded;

    void record(double ms, boolean error, int imageCount) {
        requests.incrementAndGet();
        if (error) {
            errors.incrementAndGet();
        }
        images.addAndGet(imageCount);
        synchronized (latencies) {
            latencies[(int) (recorded++ % WINDOW)] = ms;
        }
    }

    Map<String, Object> snapshot() {
        double[] copy;
        synchronized (latencies) {
            copy = Arrays.copyOf(latencies, (int) Math.min(recorded, WINDOW));
        }
        Arrays.sort(copy);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("requests", requests.get());
        m.put("errors", errors.get());
        m.put("imagesSolved", images.get());
        Map<String, Double> p = new LinkedHashMap<>();
        for (double q : new double[] {50, 90, 99}) {
            p.put("p" + (int) q, copy.length == 0 ? 0 : copy[Math.min(copy.length - 1, (int) Math.ceil(q / 100 * copy.length) - 1)]);
        }
        m.put("latencyMs", p);
        m.put("latencyWindow", copy.length);
        return m;
    }
}
