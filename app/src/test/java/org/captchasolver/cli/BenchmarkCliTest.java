package org.captchasolver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.captchasolver.common.Json;
import org.captchasolver.dataset.DatasetIndex;
import org.captchasolver.generate.CaptchaStyle;
import org.captchasolver.generate.DatasetGenerator;
import org.captchasolver.generate.GeneratorConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchmarkCliTest {
    @TempDir Path tmp;

    @Test
    void benchmarkTrainsEvaluatesAndTabulatesEachDatasetWithItsLabelFolding() throws Exception {
        Path data = tmp.resolve("upper");
        new DatasetGenerator(GeneratorConfig.builder().count(120).charset("ABCD23").length(3, 4).size(120, 40)
                .style(CaptchaStyle.CLEAN).seed(5).build()).generate(data);
        Path out = tmp.resolve("bench");
        CliRunner.Result r = CliRunner.run("benchmark", "-q", "--max-minutes", "0.01", "--seeds", "7", "-o", out.toString(),
                data + ":lowercase");
        assertThat(r.exit()).as(r.err() + r.out()).isZero();

        Path run = out.resolve("runs/upper-crnn-s7");
        DatasetIndex index = DatasetIndex.read(run.resolve("index"));
        assertThat(index.alphabet().chars()).isEqualTo("23abcd"); // ":lowercase" folded the labels
        JsonNode row = Json.MAPPER.readTree(out.resolve("benchmark.json").toFile()).get(0);
        assertThat(row.get("dataset").asText()).isEqualTo("upper");
        assertThat(row.get("seed").asLong()).isEqualTo(7);
        assertThat(row.get("trainImages").asInt()).isEqualTo(index.summary().splitSizes().get("train"));
        assertThat(row.get("testImages").asInt()).isEqualTo(index.summary().splitSizes().get("test"));
        assertThat(row.get("sequenceAccuracy").asDouble()).isBetween(0.0, 1.0);
        assertThat(row.get("stop").asText()).contains("time budget");
        assertThat(run.resolve("results/report.html")).exists();
        assertThat(r.out()).contains("| upper | all | base | crnn | 7 | " + row.get("trainImages").asInt() + " / ");
        assertThat(out.resolve("benchmark.md")).content().contains("| upper | all | base | crnn | 7 |");

        // Run again, the run is refused unless resumed; resuming a run that ended (here on its time budget,
        // before its last epoch) trains nothing more and evaluates it again.
        int epochs = Json.MAPPER.readTree(run.resolve("all_metrics.json").toFile()).size();
        CliRunner.Result again = CliRunner.run("benchmark", "-q", "--max-minutes", "0.01", "--seeds", "7", "-o", out.toString(),
                data + ":lowercase");
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("already holds a training run").contains("--resume");
        CliRunner.Result resumed = CliRunner.run("benchmark", "-q", "--resume", "--max-minutes", "0.01", "--seeds", "7",
                "-o", out.toString(), data + ":lowercase");
        assertThat(resumed.exit()).as(resumed.err() + resumed.out()).isZero();
        assertThat(resumed.out()).contains("nothing left to train");
        assertThat(Json.MAPPER.readTree(run.resolve("all_metrics.json").toFile())).hasSize(epochs);
        JsonNode again1 = Json.MAPPER.readTree(out.resolve("benchmark.json").toFile()).get(0);
        assertThat(again1.get("stop").asText()).isEqualTo(row.get("stop").asText());
        assertThat(again1.get("keptEpoch").asInt()).isEqualTo(row.get("keptEpoch").asInt());
        assertThat(again1.get("trainImages").asInt()).isEqualTo(row.get("trainImages").asInt());
        assertThat(again1.get("sequenceAccuracy").asDouble()).isEqualTo(row.get("sequenceAccuracy").asDouble());
    }

    @Test
    void fewLabelRowsTrainOnASeededSampleOfTheTrainingSplitAndTestOnTheUsualTestSplit() throws Exception {
        Path data = tmp.resolve("few");
        new DatasetGenerator(GeneratorConfig.builder().count(200).charset("abcd23").length(3, 4).size(120, 40)
                .style(CaptchaStyle.CLEAN).seed(6).build()).generate(data);
        Path out = tmp.resolve("bench");
        CliRunner.Result r = CliRunner.run("benchmark", "-q", "--max-minutes", "0.01", "--seeds", "7", "--labelled", "20,40",
                "--unlabelled", "-o", out.toString(), data.toString());
        assertThat(r.exit()).as(r.err() + r.out()).isZero();

        DatasetIndex full = new org.captchasolver.dataset.DatasetIndexer(org.captchasolver.dataset.IndexOptions.builder().build()).index(data);
        java.util.Set<String> test = new java.util.HashSet<>();
        full.entries(org.captchasolver.dataset.Split.TEST).forEach(e -> test.add(e.file()));
        JsonNode rows = Json.MAPPER.readTree(out.resolve("benchmark.json").toFile());
        assertThat(rows).hasSize(2);
        for (int i = 0; i < 2; i++) {
            int n = i == 0 ? 20 : 40;
            JsonNode row = rows.get(i);
            assertThat(row.get("labelled").asInt()).isEqualTo(n);
            assertThat(row.get("init").asText()).isEqualTo("base + unlabelled");
            assertThat(row.get("trainImages").asInt()).as("nine in ten of the sample").isEqualTo(n - n / 10);
            assertThat(row.get("testImages").asInt()).isEqualTo(test.size());
            DatasetIndex used = DatasetIndex.read(out.resolve("runs/few-crnn-n" + n + "-unlabelled-s7/index"));
            java.util.Set<String> usedTest = new java.util.HashSet<>();
            used.entries(org.captchasolver.dataset.Split.TEST).forEach(e -> usedTest.add(e.file()));
            assertThat(usedTest).as("the usual test split").isEqualTo(test);
            assertThat(used.entries()).hasSize(n + test.size());
            assertThat(used.entries()).filteredOn(e -> !test.contains(e.file()))
                    .allSatisfy(e -> assertThat(full.entries(org.captchasolver.dataset.Split.TRAIN)).contains(e.withSplit(org.captchasolver.dataset.Split.TRAIN)));
        }
        assertThat(r.out()).contains("| few | 20 | base + unlabelled | crnn | 7 | 18 / ").contains("Self-training on");
    }

    @Test
    void anUnknownStyleIsAOneLineError() {
        CliRunner.Result r = CliRunner.run("benchmark", "-q", "-o", tmp.resolve("b").toString(), "generated:neon");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err().strip()).startsWith("error: ").contains("neon").doesNotContain("\n");
    }
}
