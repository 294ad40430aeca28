package org.captchasolver.util;

import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.captchasolver.common.AtomicFiles;
import org.captchasolver.common.CaptchaException;

/** Streaming CSV with a header row, quoted as needed (labels may hold commas or quotes). */
public final class Csv {
    private static final CsvMapper MAPPER = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY);

    private Csv() {}

    /** Writes the header and the rows the producer emits, atomically. */
    public static void write(Path file, List<String> header, Consumer<Consumer<List<?>>> producer) throws IOException {
        AtomicFiles.write(file, out -> {
            CsvSchema schema = CsvSchema.emptySchema();
            try (SequenceWriter w = MAPPER.writer(schema).writeValues(
                    new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8))) {
                w.write(header);
                producer.accept(row -> {
                    try {
                        List<String> cells = new ArrayList<>(row.size());
                        for (Object o : row) {
                            cells.add(o == null ? "" : o.toString());
                        }
                        w.write(cells);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
            }
        });
    }

    /** Calls {@code rowHandler} for every data row, as strings; {@code header} receives the column names. */
    public static void read(Path file, Consumer<String[]> header, Consumer<String[]> rowHandler) throws IOException {
        readRows(file, header, row -> {
            String[] cells = new String[row.size()];
            for (int i = 0; i < cells.length; i++) {
                cells[i] = row.string(i);
            }
            rowHandler.accept(cells);
        });
    }

    /**
     * Like {@link #read}, but each data row arrives as a reused {@link CsvRow} instead of new strings:
     * for files of a million rows, where per-row garbage would grow the heap (and the process) with the file.
     */
    public static void readRows(Path file, Consumer<String[]> header, Consumer<CsvRow> rowHandler) throws IOException {
        // A small RFC 4180 reader of our own: Jackson's CSV parser makes a String of every cell.
        CsvRow row = new CsvRow();
        boolean first = true;
        char[] buf = new char[1 << 16];
        boolean quoted = false;
        boolean quoteJustClosed = false;
        boolean pendingReturn = false;
        boolean rowStarted = false;
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            row.clear();
            row.beginCell();
            int n;
            while ((n = r.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    char c = buf[i];
                    if (pendingReturn) {
                        pendingReturn = false;
                        if (c == '\n') {
                            continue; // CRLF: the row already ended at CR
                        }
                    }
                    if (quoted) {
                        if (c == '"') {
                            quoted = false;
                            quoteJustClosed = true;
                        } else {
                            row.append(c);
                        }
                        continue;
                    }
                    if (c == '"') {
                        if (quoteJustClosed) {
                            row.append('"'); // "" inside quotes is one quote
                        }
                        quoted = true;
                        quoteJustClosed = false;
                        rowStarted = true;
                        continue;
                    }
                    quoteJustClosed = false;
                    if (c == ',') {
                        row.endCell();
                        row.beginCell();
                        rowStarted = true;
                    } else if (c == '\n' || c == '\r') {
                        pendingReturn = c == '\r';
                        row.endCell();
                        deliver(row, first, header, rowHandler);
                        first = false;
                        row.clear();
                        row.beginCell();
                        rowStarted = false;
                    } else {
                        row.append(c);
                        rowStarted = true;
                    }
                }
            }
            if (quoted) {
                throw new CaptchaException(file + " is not valid CSV: a quoted field is never closed; check the file's quotes");
            }
            if (rowStarted) {
                row.endCell();
                deliver(row, first, header, rowHandler);
            }
        }
    }

    /** Hands a finished row to the header handler (the first row) or the row handler (the rest, blank lines skipped). */
    private static void deliver(CsvRow row, boolean first, Consumer<String[]> header, Consumer<CsvRow> rowHandler) {
        if (first) {
            String[] names = new String[row.size()];
            for (int i = 0; i < names.length; i++) {
                names[i] = row.string(i);
            }
            header.accept(names);
        } else if (!row.isBlank()) {
            rowHandler.accept(row);
        }
    }

    public static int column(String[] header, String name, Path file) {
        for (int i = 0; i < header.length; i++) {
            if (header[i].trim().equalsIgnoreCase(name)) {
                return i;
            }
        }
        throw new CaptchaException(file + " has no '" + name + "' column (columns: " + String.join(",", header) + ")");
    }

}
