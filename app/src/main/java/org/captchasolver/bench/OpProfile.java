package org.captchasolver.bench;

import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.captchasolver.common.Json;
import org.captchasolver.model.ModelSpec;
import org.captchasolver.train.TrainStep;

/**
 * Where a training step's time goes, operator by operator: the step runs under PyTorch's own
 * profiler (native code, which a JVM sampler such as JFR sees only as one JNI frame), and each
 * operator gets its self time, the time not spent in operators it called.
 */
public final class OpProfile {
    private OpProfile() {}

    /** One operator's share of the profiled steps. */
    public record Row(String architecture, int batch, String op, long calls, double selfMsPerStep, double shareOfStep) {}

    /** One operator call from the trace: thread, start and duration in microseconds. */
    record Call(String name, long thread, double start, double duration) {}

    /**
     * Profiles {@code steps} training steps after {@code warmup} and returns the {@code top} operators by self
     * time plus a row for the rest. The raw trace (Chrome trace format, for Perfetto or chrome://tracing) stays
     * in {@code trace}.
     */
    public static List<Row> record(ModelSpec spec, int batchSize, int warmup, int steps, int top, Path trace) {
        return TrainStepBench.withTrainer(spec, batchSize, warmup, (trainer, loss, adam, batch) -> {
            JniUtils.startProfile(false, true, false);
            try {
                for (int i = 0; i < steps; i++) {
                    TrainStep.run(trainer, loss, adam, spec, batch);
                }
            } finally {
                Files.createDirectories(trace.toAbsolutePath().getParent());
                Path partial = trace.resolveSibling(trace.getFileName() + ".part");
                JniUtils.stopProfile(partial.toString());
                Files.move(partial, trace, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            return rows(spec.architecture().id(), batchSize, steps, selfTimes(read(trace)), top);
        });
    }

    /** The complete-event ("ph": "X") calls of a trace, streamed: a profile of many steps runs to hundreds of MB. */
    static List<Call> read(Path trace) throws IOException {
        List<Call> calls = new ArrayList<>();
        try (JsonParser p = Json.MAPPER.getFactory().createParser(trace.toFile())) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new IOException(trace + ": not a Chrome trace (expected a JSON array)");
            }
            while (p.nextToken() == JsonToken.START_OBJECT) {
                String name = null;
                String phase = null;
                long thread = 0;
                double start = 0;
                double duration = 0;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    p.nextToken();
                    switch (field) {
                        case "name" -> name = p.getText();
                        case "ph" -> phase = p.getText();
                        case "tid" -> thread = p.getValueAsLong();
                        case "ts" -> start = p.getValueAsDouble();
                        case "dur" -> duration = p.getValueAsDouble();
                        default -> p.skipChildren();
                    }
                }
                if ("X".equals(phase) && name != null) {
                    calls.add(new Call(name, thread, start, duration));
                }
            }
        }
        return calls;
    }

    /** Self time per operator name: calls nest on a thread's timeline, a parent's time minus its children's. */
    static Map<String, double[]> selfTimes(List<Call> calls) {
        List<Call> sorted = new ArrayList<>(calls);
        // Parents first: by thread, start, then the longer call of two that start together.
        sorted.sort(Comparator.comparingLong(Call::thread).thenComparingDouble(Call::start)
                .thenComparing(Comparator.comparingDouble(Call::duration).reversed()));
        Map<String, double[]> byName = new HashMap<>(); // name -> {self microseconds, calls}
        Deque<double[]> open = new ArrayDeque<>(); // {end, child time, index into sorted}
        long thread = Long.MIN_VALUE;
        for (int i = 0; i <= sorted.size(); i++) {
            Call c = i < sorted.size() ? sorted.get(i) : null;
            boolean newThread = c == null || c.thread() != thread;
            while (!open.isEmpty() && (newThread || open.peek()[0] <= c.start())) {
                double[] done = open.pop();
                Call call = sorted.get((int) done[2]);
                double[] acc = byName.computeIfAbsent(call.name(), k -> new double[2]);
                acc[0] += call.duration() - done[1];
                acc[1]++;
            }
            if (c == null) {
                break;
            }
            thread = c.thread();
            if (!open.isEmpty()) {
                open.peek()[1] += c.duration();
            }
            open.push(new double[] {c.start() + c.duration(), 0, i});
        }
        return byName;
    }

    static List<Row> rows(String architecture, int batch, int steps, Map<String, double[]> selfTimes, int top) {
        double total = selfTimes.values().stream().mapToDouble(v -> v[0]).sum();
        List<Map.Entry<String, double[]>> ranked = new ArrayList<>(selfTimes.entrySet());
        ranked.sort(Comparator.comparingDouble((Map.Entry<String, double[]> e) -> e.getValue()[0]).reversed());
        List<Row> rows = new ArrayList<>();
        double rest = 0;
        long restCalls = 0;
        for (int i = 0; i < ranked.size(); i++) {
            double[] v = ranked.get(i).getValue();
            if (i < top) {
                rows.add(new Row(architecture, batch, ranked.get(i).getKey(), Math.round(v[1] / steps),
                        v[0] / 1e3 / steps, v[0] / total));
            } else {
                rest += v[0];
                restCalls += Math.round(v[1]);
            }
        }
        if (rest > 0) {
            rows.add(new Row(architecture, batch, "(" + (ranked.size() - top) + " other operators)", restCalls / steps,
                    rest / 1e3 / steps, rest / total));
        }
        return rows;
    }
}
