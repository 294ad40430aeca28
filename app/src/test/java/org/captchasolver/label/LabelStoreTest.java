package org.captchasolver.label;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.captchasolver.dataset.LabelManifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** labels.csv as the labelling page keeps it: whole after every answer, whatever stops the process. */
class LabelStoreTest {
    @TempDir Path tmp;

    /** Writes labels img-0 = L0, img-1 = L1, ... into the file named by args[0] until killed, saying how far it got. */
    public static final class Writer {
        public static void main(String[] args) throws Exception {
            LabelStore store = LabelStore.open(Path.of(args[0]));
            for (int i = store.size(); ; i++) {
                store.put(String.format("img-%06d.png", i), "L" + i + "-" + "x".repeat(40));
                if (i % 50 == 0) {
                    System.out.println(i);
                }
            }
        }
    }

    @Test
    void labelsCsvIsWholeAfterTheWriterIsKilledMidWriteAndAnotherRunGoesOn() throws Exception {
        Path file = tmp.resolve("labels.csv");
        int before = 0;
        for (int round = 0; round < 4; round++) {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), Writer.class.getName(), file.toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream()));
            int target = before + 300 + 137 * round; // each rewrite holds hundreds of rows: kills land inside writes
            String line;
            while ((line = out.readLine()) != null && Integer.parseInt(line.trim()) < target) {
                // let it write
            }
            p.destroyForcibly().waitFor();
            Map<String, String> labels = LabelManifest.read(file);
            assertThat(labels.size()).as("round %d: every answer before the kill is kept", round).isGreaterThan(target);
            for (int i = 0; i < labels.size(); i++) {
                assertThat(labels.get(String.format("img-%06d.png", i))).as("row %d", i).isEqualTo("L" + i + "-" + "x".repeat(40));
            }
            before = labels.size();
        }
        LabelStore.open(file);
        try (var files = Files.list(tmp)) {
            assertThat(files.map(f -> f.getFileName().toString()).toList()).as("a killed write's temporary file is removed")
                    .containsExactly("labels.csv");
        }
    }

    @Test
    void anAnswerIsOnDiskWhenPutReturnsAndAnEmptyOneIsRefused() throws Exception {
        Path file = tmp.resolve("labels.csv");
        LabelStore store = LabelStore.open(file);
        store.put("a.png", " abc ".strip());
        store.put("sub/b.png", "x,\"y\"");
        assertThat(LabelManifest.read(file)).isEqualTo(Map.of("a.png", "abc", "sub/b.png", "x,\"y\""));
        assertThatThrownBy(() -> store.put("c.png", "  ")).isInstanceOf(IllegalArgumentException.class);
        assertThat(LabelStore.open(file).size()).isEqualTo(2);
        assertThat(List.copyOf(LabelManifest.read(file).keySet())).containsExactlyInAnyOrder("a.png", "sub/b.png");
    }
}
