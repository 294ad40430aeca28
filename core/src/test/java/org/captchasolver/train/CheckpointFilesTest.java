package org.captchasolver.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.captchasolver.common.CaptchaException;
import org.captchasolver.common.Json;
import org.captchasolver.testing.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints written before each epoch had its own folder still
 * resume, and the first checkpoint the resumed run writes replaces them. TrainSolveCliTest checks that a
 * run killed while writing an epoch's folder resumes from the one its state names.
 */
class CheckpointFilesTest {
    @TempDir Path tmp;

    @Test
    void aCheckpointInTheOlderLayoutResumesAndIsReplacedByTheNewOne() throws Exception {
        RunFolder run = TestModels.trainTinyCrnn(tmp, 48, 2).folder();
        // Turn the end of this 2-epoch run into what an older version left after epoch 2 of 3.
        CheckpointFiles epoch2 = run.checkpoint(2);
        List<Path> files = List.of(epoch2.lastParams(), epoch2.averageParams(), epoch2.adamState());
        for (Path file : files) {
            Files.move(file, run.checkpointDir().resolve(file.getFileName()));
        }
        Files.delete(epoch2.dir());
        ObjectNode state = (ObjectNode) Json.MAPPER.readTree(run.state().toFile());
        state.put("finished", false).putNull("stopReason");
        Json.MAPPER.writeValue(run.state().toFile(), state);
        ObjectNode config = (ObjectNode) Json.MAPPER.readTree(run.config().toFile());
        Json.MAPPER.writeValue(run.config().toFile(), config.put("epochs", 3));
        assertThat(run.savedCheckpoint(2).dir()).isEqualTo(run.checkpointDir());

        ByteArrayOutputStream log = new ByteArrayOutputStream();
        TrainingRun.Result resumed = TrainingRun.resume(run.dir(), new PrintStream(log, true, StandardCharsets.UTF_8));

        assertThat(log.toString(StandardCharsets.UTF_8)).contains("Resuming " + run.dir() + " at epoch 3")
                .doesNotContain("no optimizer state");
        assertThat(resumed.history()).extracting(EpochMetrics::epoch).containsExactly(1, 2, 3);
        try (Stream<Path> left = Files.list(run.checkpointDir())) {
            assertThat(left).containsExactlyInAnyOrder(run.checkpoint(3).dir(), run.state());
        }
        assertThat(run.savedCheckpoint(3)).isEqualTo(run.checkpoint(3));
    }

    @Test
    void aStateNamingAMissingCheckpointIsRefusedWithThePathMissing() throws Exception {
        RunFolder run = TestModels.trainTinyCrnn(tmp, 48, 1).folder();
        Files.delete(run.checkpoint(1).lastParams());

        assertThatThrownBy(() -> TrainingRun.resume(run.dir(), TestModels.quiet()))
                .isInstanceOf(CaptchaException.class)
                .hasMessageContaining(run.checkpoint(1).lastParams().toString())
                .hasMessageContaining("incomplete");
    }
}
