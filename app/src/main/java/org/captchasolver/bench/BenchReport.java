package org.captchasolver.bench;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.captchasolver.common.AtomicFiles;

/** Benchmark results by section, each a list of records: written as JSON and as Markdown tables. */
public final class BenchReport {
    private final Map<String, Object> meta = new LinkedHashMap<>();
    private final Map<String, List<? extends Record>> sections = new LinkedHashMap<>();

    public BenchReport meta(String key, Object value) {
        meta.put(key, value);
        return this;
    }

    public BenchReport section(String name, List<? extends Record> rows) {
        sections.put(name, List.copyOf(rows));
        return this;
    }

    public void writeJson(Path file) throws IOException {
        Map<String, Object> all = new LinkedHashMap<>(meta);
        all.putAll(sections);
        AtomicFiles.writeJson(file, all);
    }

    public String markdown() {
        StringBuilder sb = new StringBuilder();
        meta.forEach((k, v) -> sb.append("- ").append(k).append(": ").append(v).append('\n'));
        sections.forEach((name, rows) -> sb.append(table(name, rows)));
        return sb.toString();
    }

    /** The section added last, as Markdown (for printing as the benchmark goes). */
    public String lastSection() {
        String name = null;
        for (String k : sections.keySet()) {
            name = k;
        }
        return name == null ? "" : table(name, sections.get(name));
    }

    private static String table(String name, List<? extends Record> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append("\n### ").append(name).append("\n\n");
        if (rows.isEmpty()) {
            return sb.append("(none)\n").toString();
        }
        RecordComponent[] cols = rows.get(0).getClass().getRecordComponents();
        sb.append('|');
        for (RecordComponent c : cols) {
            sb.append(' ').append(c.getName()).append(" |");
        }
        sb.append("\n|");
        sb.append("---|".repeat(cols.length)).append('\n');
        for (Record r : rows) {
            sb.append('|');
            for (RecordComponent c : cols) {
                sb.append(' ').append(format(value(r, c))).append(" |");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static Object value(Record r, RecordComponent c) {
        try {
            var accessor = c.getAccessor();
            accessor.setAccessible(true); // rows may be records private to the command that made them
            return accessor.invoke(r);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    static String format(Object v) {
        if (v instanceof Double d) {
            double a = Math.abs(d);
            return a >= 100 || a == 0 ? String.format(Locale.ROOT, "%.0f", d)
                    : a >= 1 ? String.format(Locale.ROOT, "%.2f", d) : String.format(Locale.ROOT, "%.3f", d);
        }
        return String.valueOf(v);
    }
}
