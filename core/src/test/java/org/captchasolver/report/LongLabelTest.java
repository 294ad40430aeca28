package org.captchasolver.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.captchasolver.augment.Augmentation;
import org.captchasolver.dataset.DatasetIndex;
import org.captchasolver.dataset.DatasetIndexer;
import org.captchasolver.dataset.IndexOptions;
import org.captchasolver.dataset.Split;
import org.captchasolver.dataset.SplitRatios;
import org.captchasolver.eval.EvaluationMetrics;
import org.captchasolver.generate.CaptchaStyle;
import org.captchasolver.generate.DatasetGenerator;
import org.captchasolver.generate.GeneratorConfig;
import org.captchasolver.image.InputShape;
import org.captchasolver.model.Architecture;
import org.captchasolver.model.Decoder;
import org.captchasolver.model.ModelBundle;
import org.captchasolver.model.ModelSpec;
import org.captchasolver.model.Prediction;
import org.captchasolver.testing.TestModels;
import org.captchasolver.train.TrainConfig;
import org.captchasolver.train.TrainingRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ten-character labels, the default longest, end to end: indexed, trained, decoded and reported position by position. */
class LongLabelTest {
    @TempDir Path tmp;

    @Test
    void tenCharacterLabelsTrainDecodeAndAreReportedAtEveryPosition() throws Exception {
        Path data = tmp.resolve("data");
        new DatasetGenerator(GeneratorConfig.builder().count(60).seed(10).charset(TestModels.CHARSET).length(8, 10)
                .size(240, 48).style(CaptchaStyle.CLEAN).build()).generate(data);
        DatasetIndex index = new DatasetIndexer(IndexOptions.builder().ratios(new SplitRatios(0.6, 0.2, 0.2)).build()).index(data);
        assertThat(index.maxLabelLength()).isEqualTo(10);
        TrainConfig config = TrainConfig.builder().architecture(Architecture.CRNN).input(new InputShape(3, 32, 128)).epochs(2)
                .batchSize(12).augmentation(Augmentation.NONE).seed(2).build();
        Path run = TrainingRun.start(index, config, tmp.resolve("run"), TestModels.quiet()).folder().dir();
        assertThat(ModelBundle.readManifest(run).spec().maxLength()).isEqualTo(10);

        EvaluationMetrics m = EvaluationReport.run(run, new EvaluationReport.Target(null, Split.TEST), tmp.resolve("eval"),
                TestModels.quiet());
        assertThat(m.positionAccuracy()).hasSize(10);
        for (int p = 1; p <= 10; p++) {
            assertThat(tmp.resolve("eval/figures/confusion_position_" + p + ".png")).isRegularFile();
        }
        assertThat(Files.readString(tmp.resolve("eval/report.html"))).contains("Confusion at position 10");
    }

    /** The beam search reads a ten-character answer with repeats from 32 steps, as the default input gives. */
    @Test
    void theBeamSearchReadsTenCharactersWithRepeats() {
        ModelSpec spec = new ModelSpec(Architecture.CRNN, new InputShape(3, 48, 128), TestModels.CHARSET, 10, 1f);
        String label = "aab2233dcc";
        int steps = spec.sequenceLength();
        int classes = spec.classes();
        float[] probs = new float[steps * classes];
        int t = 0;
        for (int i = 0; i < label.length(); i++) {
            if (i > 0 && label.charAt(i) == label.charAt(i - 1)) {
                onehot(probs, t++, 0, classes); // a blank keeps two equal characters apart
            }
            int cls = TestModels.CHARSET.indexOf(label.charAt(i)) + 1;
            onehot(probs, t++, cls, classes);
            onehot(probs, t++, cls, classes); // a character over two frames is still one
        }
        while (t < steps) {
            onehot(probs, t++, 0, classes);
        }
        List<Prediction> read = Decoder.decode(spec, probs, 1, steps);
        assertThat(read.get(0).text()).isEqualTo(label);
        assertThat(read.get(0).charConfidences()).hasSize(10);
    }

    private static void onehot(float[] probs, int t, int cls, int classes) {
        for (int c = 0; c < classes; c++) {
            probs[t * classes + c] = c == cls ? 0.93f : 0.07f / (classes - 1);
        }
    }
}
