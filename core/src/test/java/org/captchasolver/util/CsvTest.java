package org.captchasolver.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.captchasolver.common.CaptchaException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTest {
    @TempDir Path tmp;

    @Test
    void rowsAndStringRowsReadQuotesCrlfBlankLinesAndAMissingLastNewline() throws Exception {
        Path f = tmp.resolve("t.csv");
        Files.writeString(f, "file,label\r\n\"a,b.png\",\"say \"\"hi\"\"\"\r\n\r\nc.png,\"two\nlines\"\nd.png,\nü.png,日本");
        List<List<String>> expected = new ArrayList<>();
        Csv.read(f, h -> assertThat(h).containsExactly("file", "label"), r -> expected.add(List.of(r)));
        List<List<String>> rows = new ArrayList<>();
        List<String[]> headers = new ArrayList<>();
        Csv.readRows(f, headers::add, r -> {
            List<String> cells = new ArrayList<>();
            for (int i = 0; i < r.size(); i++) {
                cells.add(r.string(i));
            }
            rows.add(cells);
        });
        assertThat(headers).hasSize(1);
        assertThat(headers.get(0)).containsExactly("file", "label");
        assertThat(rows).containsExactly(List.of("a,b.png", "say \"hi\""), List.of("c.png", "two\nlines"), List.of("d.png", ""),
                List.of("ü.png", "日本"));
        assertThat(rows).isEqualTo(expected);
    }

    @Test
    void anUnclosedQuoteIsAnErrorNamingTheFile() throws Exception {
        Path f = tmp.resolve("bad.csv");
        Files.writeString(f, "file,label\na.png,\"open\n");
        assertThatThrownBy(() -> Csv.readRows(f, h -> {}, r -> {}))
                .isInstanceOf(CaptchaException.class).hasMessageContaining(f.toString()).hasMessageContaining("quoted field");
    }

    @Test
    void numbersAreParsedWithoutStringsAndBadOnesAreNamed() throws Exception {
        Path f = tmp.resolve("n.csv");
        Files.writeString(f, "a,b,c\n 42 ,-7,x1\n");
        Csv.readRows(f, h -> {}, r -> {
            assertThat(r.parseInt(0)).isEqualTo(42);
            assertThat(r.parseLong(1)).isEqualTo(-7);
            assertThatThrownBy(() -> r.parseInt(2)).hasMessageContaining("'x1'");
            assertThatThrownBy(() -> r.parseInt(3)).hasMessageContaining("no cell 4");
        });
    }
}
