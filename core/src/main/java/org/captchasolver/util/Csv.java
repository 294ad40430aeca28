package org.captchasolver.util;

import com.fasterxml.jackson.databind.MappingIterator;
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

    /** Calls {@code rowHandler} for every data row; {@code header} receives the column names. */
    public static void read(Path file, Consumer<String[]> header, Consumer<String[]> rowHandler) throws IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             MappingIterator<String[]> it = MAPPER.readerFor(String[].class).readValues(r)) {
            boolean first = true;
            while (it.hasNext()) {
                String[] row = it.next();
                if (first) {
                    first = false;
                    header.accept(row);
                    continue;
                }
                if (row.length == 1 && row[0].isEmpty()) {
                    continue; // blank line
                }
                rowHandler.accept(row);
            }
        } catch (RuntimeException e) {
            String m = String.valueOf(e.getMessage());
            throw new CaptchaException(file + " is not valid CSV: " + m.lines().findFirst().orElse(m), e);
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
