package org.captchasolver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchCliTest {
    @TempDir Path tmp;

    @Test
    void benchMeasuresEverySectionThroughTheProductAndWritesJsonAndMarkdown() throws Exception {
        Path out = tmp.resolve("out");
        CliRunner.Result r = CliRunner.run("bench", "-q", "--arch", "crnn", "--batch", "8", "--images", "96",
                "--memory-images", "400", "--memory-copies", "3", "--memory-epochs", "3", "--memory-steps", "3",
                "--seconds", "2", "--clients", "2", "--hostile", "4", "--work", tmp.resolve("work").toString(), "--out", out.toString());
        assertThat(r.exit()).as(r.err() + r.out()).isZero();
        JsonNode json = new ObjectMapper().readTree(out.resolve("bench.json").toFile());

        JsonNode pipeline = section(json, "pipeline");
        assertThat(pipeline).hasSize(5);
        for (JsonNode row : pipeline) {
            assertThat(row.get("images").asInt()).isEqualTo(96);
            assertThat(row.get("imagesPerSecond").asDouble()).isPositive();
        }
        JsonNode peak = section(json, "peak").get(0);
        assertThat(peak.get("attainableGflops").asDouble()).isPositive();
        JsonNode train = section(json, "training step").get(0);
        assertThat(train.get("architecture").asText()).isEqualTo("crnn");
        // The input the step ran on, in --input form: scripts/compare_pytorch.py builds its network from it.
        assertThat(train.get("input").asText()).isEqualTo(org.captchasolver.model.Architecture.CRNN.defaultInput().text());
        assertThat(train.get("batch").asInt()).isEqualTo(8);
        assertThat(train.get("trainGflops").asDouble()).isPositive();
        // Shares of the peak follow from the measured numbers, they are not printed constants.
        assertThat(train.get("shareOfAttainable").asDouble())
                .isCloseTo(train.get("trainGflops").asDouble() / peak.get("attainableGflops").asDouble(),
                        org.assertj.core.data.Offset.offset(1e-9));
        // The profile is the real step's: convolutions are among its top operators, and the shares add up.
        JsonNode profile = section(json, "training step profile");
        double share = 0;
        for (JsonNode row : profile) {
            share += row.get("shareOfStep").asDouble();
        }
        assertThat(share).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(profile.findValuesAsText("op")).anyMatch(op -> op.contains("convolution"));
        assertThat(out.resolve("profile-crnn-b8.trace.json")).isNotEmptyFile();
        JsonNode infer = section(json, "inference").get(0);
        assertThat(infer.get("batch1P50Ms").asDouble()).isPositive().isLessThanOrEqualTo(infer.get("batch1P99Ms").asDouble());
        assertThat(infer.get("batchedImagesPerSecond").asDouble()).isPositive();
        // The host's core-to-core distance next to the latency: a real round trip takes tens of ns at least.
        assertThat(infer.get("cpuRoundTripBeforeNs").asDouble()).isGreaterThan(10).isFinite();
        assertThat(infer.get("cpuRoundTripAfterNs").asDouble()).isGreaterThan(10).isFinite();
        JsonNode http = section(json, "HTTP").get(0);
        assertThat(http.get("requests").asLong()).isPositive();
        assertThat(http.get("errors").asLong()).isZero();
        JsonNode underAttack = section(json, "HTTP").get(1);
        assertThat(underAttack.get("hostileClients").asInt()).isEqualTo(4);
        assertThat(underAttack.get("requests").asLong()).as("good requests beside hostile ones").isPositive();
        assertThat(underAttack.get("errors").asLong()).isZero();
        assertThat(underAttack.get("hostile").asLong()).isPositive();
        assertThat(underAttack.get("hostileNot4xx").asLong()).as("hostile requests not refused with a 4xx").isZero();

        JsonNode memory = section(json, "training memory");
        assertThat(memory).hasSize(2);
        assertThat(memory.get(0).get("indexedImages").asInt()).isEqualTo(400);
        assertThat(memory.get(1).get("indexedImages").asInt()).isEqualTo(1200);
        for (JsonNode row : memory) {
            assertThat(row.get("epochs").asInt()).isEqualTo(3);
            assertThat(row.get("peakRssMb").asLong()).isGreaterThan(100).isGreaterThanOrEqualTo(row.get("rssLastEpochMb").asLong());
        }
        // The child runs trained with the step limit: 280 training images would be 9 steps of 32.
        assertThat(Files.readString(tmp.resolve("work/runs/memory-small.log"))).contains("3 steps/epoch");

        String md = Files.readString(out.resolve("bench.md"));
        assertThat(md).contains("| format | augmentation | threads |").contains("| crnn | 8 |");
    }

    private static JsonNode section(JsonNode json, String prefix) {
        var names = json.fieldNames();
        while (names.hasNext()) {
            String n = names.next();
            if (n.startsWith(prefix)) {
                return json.get(n);
            }
        }
        throw new AssertionError("no section " + prefix + " in " + json);
    }
}
