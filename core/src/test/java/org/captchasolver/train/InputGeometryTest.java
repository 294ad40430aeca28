package org.captchasolver.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.captchasolver.dataset.DatasetIndex;
import org.captchasolver.dataset.DatasetIndexer;
import org.captchasolver.dataset.IndexEntry;
import org.captchasolver.dataset.IndexOptions;
import org.captchasolver.dataset.Split;
import org.captchasolver.generate.CaptchaStyle;
import org.captchasolver.generate.DatasetGenerator;
import org.captchasolver.generate.GeneratorConfig;
import org.captchasolver.image.InputShape;
import org.captchasolver.model.Architecture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The input chosen from an index: the shared sets' shapes keep 3x48x128; wide or long-label sets get wider. */
class InputGeometryTest {
    @TempDir Path tmp;

    private static List<IndexEntry> images(int count, int width, int height) {
        List<IndexEntry> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(new IndexEntry("i" + i + ".png", "abcde", width, height, 3, 1000, Split.TRAIN));
        }
        return out;
    }

    @Test
    void theSharedSetsAndTheFixedSizeStylesKeepTheDefaultInput() {
        assertThat(InputGeometry.choose(Architecture.CRNN, images(50, 118, 51), 5).shape()).as("tjsp_esaj_auto")
                .isEqualTo(new InputShape(3, 48, 128));
        assertThat(InputGeometry.choose(Architecture.CRNN, images(50, 200, 50), 6).shape()).as("wilhelmy_v2")
                .isEqualTo(new InputShape(3, 48, 128));
        assertThat(InputGeometry.choose(Architecture.CRNN, images(50, 200, 100), 6).shape()).as("generated")
                .isEqualTo(new InputShape(3, 48, 128));
        assertThat(InputGeometry.choose(Architecture.SEED_CNN, images(5, 735, 80), 8).shape()).as("seed-cnn keeps its own")
                .isEqualTo(Architecture.SEED_CNN.defaultInput());
    }

    @Test
    void imagesOfMixedWidthsGetTheirMedianProportionsAndLongLabelsTheirColumns() throws Exception {
        Path data = tmp.resolve("data");
        new DatasetGenerator(GeneratorConfig.builder().count(40).styles(List.of(CaptchaStyle.VARIABLE)).length(4, 8)
                .size(200, 80).seed(3).build()).generate(data);
        DatasetIndex index = new DatasetIndexer(IndexOptions.builder().build()).index(data);
        List<IndexEntry> train = index.entries(Split.TRAIN);
        assertThat(train.stream().mapToInt(IndexEntry::width).distinct().count()).as("mixed widths").isGreaterThan(3);
        InputGeometry g = InputGeometry.choose(Architecture.CRNN, train, index.maxLabelLength());
        double aspect = InputGeometry.medianAspect(train);
        assertThat(g.shape().height()).isEqualTo(48);
        assertThat(g.shape().width()).as("median aspect %.2f", aspect).isGreaterThanOrEqualTo((int) Math.ceil(32 * aspect))
                .isLessThan((int) Math.ceil(32 * aspect) + 16).isGreaterThan(128);
        assertThat(g.why()).contains("3x48x" + g.shape().width()).contains("proportions");

        assertThat(InputGeometry.choose(Architecture.CRNN, images(10, 120, 50), 10).shape().width()).as("ten characters")
                .isEqualTo(160);
        assertThat(InputGeometry.choose(Architecture.CRNN, images(10, 4000, 50), 6).shape().width()).as("capped")
                .isEqualTo(512);
    }
}
