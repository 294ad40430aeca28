package org.captchasolver.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.captchasolver.common.CaptchaException;
import org.captchasolver.common.Json;
import org.captchasolver.network.CaptchaModel;
import org.captchasolver.testing.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Model files damaged after training are refused with the file's name and what is wrong with it. */
class DamagedBundleTest {
    @TempDir Path tmp;

    private Path copy() throws Exception {
        Path from = TestModels.sharedCrnn();
        Path to = Files.createDirectories(tmp.resolve("m" + System.nanoTime()));
        Files.copy(from.resolve(ModelBundle.MANIFEST), to.resolve(ModelBundle.MANIFEST));
        Files.copy(from.resolve(ModelBundle.PARAMS), to.resolve(ModelBundle.PARAMS));
        return to;
    }

    private static void truncate(Path file, long size) throws Exception {
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE)) {
            c.truncate(size);
        }
    }

    private static void editManifest(Path dir, java.util.function.Consumer<ObjectNode> edit) throws Exception {
        ObjectNode json = (ObjectNode) Json.MAPPER.readTree(dir.resolve(ModelBundle.MANIFEST).toFile());
        edit.accept(json);
        Json.MAPPER.writeValue(dir.resolve(ModelBundle.MANIFEST).toFile(), json);
    }

    @Test
    void aTrainedBundleRecordsTheChecksumOfItsWeightsAndLoads() throws Exception {
        Path dir = copy();
        assertThat(ModelBundle.readManifest(dir).paramsSha256()).hasSize(64);
        try (CaptchaModel m = CaptchaModel.load(dir)) {
            assertThat(m.manifest().name()).isNotBlank();
        }
    }

    @Test
    void truncatedOrAlteredWeightsAreCaughtByTheChecksum() throws Exception {
        Path dir = copy();
        truncate(dir.resolve(ModelBundle.PARAMS), Files.size(dir.resolve(ModelBundle.PARAMS)) / 2);
        assertThatThrownBy(() -> CaptchaModel.load(dir)).isInstanceOf(CaptchaException.class)
                .hasMessageContaining(dir.resolve(ModelBundle.PARAMS).toString()).hasMessageContaining("changed or damaged");
    }

    @Test
    void withoutAChecksumTruncatedOrEmptyWeightsAreNamedAsTruncated() throws Exception {
        for (long size : new long[] {0, 600}) {
            Path dir = copy();
            editManifest(dir, j -> j.remove("paramsSha256"));
            truncate(dir.resolve(ModelBundle.PARAMS), size);
            assertThatThrownBy(() -> CaptchaModel.load(dir)).as("%d bytes", size).isInstanceOf(CaptchaException.class)
                    .hasMessageContaining(dir.resolve(ModelBundle.PARAMS).toString())
                    .satisfies(e -> assertThat(e.getMessage()).containsAnyOf("truncated", "does not match"));
        }
    }

    @Test
    void weightsForAnotherAlphabetAreRefusedByShapeBeforeAnythingIsSolved() throws Exception {
        Path dir = copy();
        editManifest(dir, j -> {
            j.remove("paramsSha256");
            ObjectNode spec = (ObjectNode) j.get("spec");
            spec.put("alphabet", spec.get("alphabet").asText() + "z");
        });
        assertThatThrownBy(() -> CaptchaModel.load(dir)).isInstanceOf(CaptchaException.class)
                .hasMessageContaining(dir.resolve(ModelBundle.PARAMS).toString()).hasMessageContaining("of shape")
                .hasMessageContaining("another network");
    }
}
