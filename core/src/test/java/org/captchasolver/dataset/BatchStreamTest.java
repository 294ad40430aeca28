package org.captchasolver.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import org.captchasolver.augment.Augmentation;
import org.captchasolver.common.Parallel;
import org.captchasolver.image.ImageDecoder;
import org.captchasolver.image.ImageTensors;
import org.captchasolver.image.InputShape;
import org.captchasolver.model.Alphabet;
import org.captchasolver.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchStreamTest {
    private static final InputShape GRAY = new InputShape(1, 48, 128);
    private static final int BATCH = 4;

    @TempDir Path tmp;

    @Test
    void batchesHoldTheirImagesWhileTheLoaderReusesAFewPixelArrays() throws Exception {
        Path data = tmp.resolve("data");
        TestImages.generate(data, 50, 3);
        DatasetIndex index = new DatasetIndexer(IndexOptions.builder().build()).index(data);
        List<IndexEntry> entries = index.entries();
        // Broken after indexing, so the stream meets them mid-epoch: short batches reuse arrays too.
        TestImages.truncatedCopy(index.pathOf(entries.get(5)), index.pathOf(entries.get(5)));
        Files.write(index.pathOf(entries.get(22)), new byte[0]);
        ImageDecoder decoder = ImageDecoder.defaults();
        ExecutorService pool = Parallel.pool("batch-test", 2);
        try {
            PixelBuffers buffers = new PixelBuffers(BATCH, GRAY);
            for (int pass = 1; pass <= 2; pass++) {
                // One stream per pass, as a training run makes one per epoch, in another order each time.
                List<IndexEntry> order = new ArrayList<>(entries);
                Collections.shuffle(order, new Random(pass));
                BatchStream stream = new BatchStream(order, index::pathOf, index.alphabet(), index.maxLabelLength(), GRAY,
                        Augmentation.NONE, BATCH, 1, pool, buffers);
                assertThat(stream.batches()).isEqualTo(13);
                int images = 0;
                int skipped = 0;
                for (Batch batch : stream) {
                    skipped += batch.skipped();
                    for (int i = 0; i < batch.size(); i++) {
                        IndexEntry e = batch.entries().get(i);
                        float[] expected = ImageTensors.toChw(decoder.decode(index.pathOf(e)).image(), GRAY);
                        float[] got = Arrays.copyOfRange(batch.pixels(), i * GRAY.size(), (i + 1) * GRAY.size());
                        assertThat(got).as("pass %d, %s", pass, e.file()).containsExactly(expected);
                        assertThat(batch.lengths()[i]).isEqualTo(e.label().length());
                    }
                    images += batch.size();
                }
                assertThat(images).as("pass %d", pass).isEqualTo(48);
                assertThat(skipped).as("pass %d", pass).isEqualTo(2);
            }
            // 26 batches went by; only as many arrays were made as were lent at once (4 ahead, 1 in use).
            assertThat(buffers.allocated()).isBetween(1, 5);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void buffersOfAnotherShapeAreRefused() {
        PixelBuffers rgb = new PixelBuffers(BATCH, new InputShape(3, 48, 128));
        assertThatThrownBy(() -> new BatchStream(List.of(), e -> tmp, new Alphabet("ab"), 4, GRAY, Augmentation.NONE, BATCH,
                1, null, rgb)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("input shape");
    }
}
