package org.captchasolver.solve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.captchasolver.dataset.DatasetIndex;
import org.captchasolver.testing.TestImages;
import org.captchasolver.testing.TestModels;
import org.captchasolver.train.RunFolder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CaptchaSolverTest {
    static Path model;
    static List<Path> files;

    @BeforeAll
    static void setUp() throws Exception {
        model = TestModels.sharedCrnn();
        DatasetIndex index = DatasetIndex.read(new RunFolder(model).index());
        files = index.entries().stream().limit(40).map(index::pathOf).toList();
    }

    @Test
    void everyInputKindGivesTheSameAnswerAndBatchesMatchSingles() throws Exception {
        try (CaptchaSolver solver = CaptchaSolver.load(model)) {
            Path f = null;
            for (Path p : files) {
                if (!solver.solve(p).text().isEmpty()) {
                    f = p;
                    break;
                }
            }
            assertThat(f).as("the test model reads at least one of its training images").isNotNull();
            byte[] bytes = Files.readAllBytes(f);
            Solution fromPath = solver.solve(f);
            assertThat(solver.solve(bytes)).isEqualTo(fromPath);
            assertThat(solver.solve(new ByteArrayInputStream(bytes))).isEqualTo(fromPath);
            assertThat(solver.solve(javax.imageio.ImageIO.read(f.toFile()))).isEqualTo(fromPath);
            assertThat(fromPath.chars()).hasSize(fromPath.text().length());
            double product = fromPath.chars().stream().mapToDouble(Solution.CharConfidence::confidence).reduce(1, (x, y) -> x * y);
            assertThat(fromPath.confidence()).isCloseTo(product, org.assertj.core.api.Assertions.within(1e-5));

            List<BufferedImage> images = new ArrayList<>();
            for (Path p : files) {
                images.add(solver.decode(p));
            }
            List<Solution> batch = solver.solveAll(images);
            for (int i = 0; i < files.size(); i++) {
                assertThat(batch.get(i).text()).isEqualTo(solver.solve(files.get(i)).text());
            }
        }
    }

    @Test
    void sixteenThreadsGetExactlyTheSingleThreadedAnswers() throws Exception {
        try (CaptchaSolver solver = CaptchaSolver.load(model)) {
            List<Solution> expected = new ArrayList<>();
            for (Path p : files) {
                expected.add(solver.solve(p));
            }
            ExecutorService pool = Executors.newFixedThreadPool(16);
            try {
                List<Future<List<Solution>>> runs = new ArrayList<>();
                for (int t = 0; t < 16; t++) {
                    final int shift = t;
                    runs.add(pool.submit(() -> {
                        List<Solution> got = new ArrayList<>();
                        for (int i = 0; i < files.size(); i++) {
                            got.add(solver.solve(files.get((i + shift) % files.size())));
                        }
                        return got;
                    }));
                }
                for (int t = 0; t < 16; t++) {
                    List<Solution> got = runs.get(t).get();
                    for (int i = 0; i < files.size(); i++) {
                        assertThat(got.get(i).text()).isEqualTo(expected.get((i + t) % files.size()).text());
                        assertThat(got.get(i).confidence())
                                .isCloseTo(expected.get((i + t) % files.size()).confidence(), org.assertj.core.api.Assertions.within(1e-5));
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void badInputIsRefusedWithTheReason() throws Exception {
        try (CaptchaSolver solver = CaptchaSolver.load(model, 1_000_000)) {
            assertThatThrownBy(() -> solver.solve(new byte[0])).isInstanceOf(InvalidImageException.class).hasMessageContaining("empty");
            assertThatThrownBy(() -> solver.solve("hello".getBytes())).isInstanceOf(InvalidImageException.class)
                    .hasMessageContaining("not an image");
            assertThatThrownBy(() -> solver.solve(TestImages.pngDeclaring(5000, 5000))).isInstanceOf(InvalidImageException.class)
                    .hasMessageContaining("too large");
            Path missing = Path.of("no-such-file.png");
            assertThatThrownBy(() -> solver.solve(missing)).hasMessageContaining("no-such-file.png");
        }
    }

}
