package org.captchasolver.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.captchasolver.common.CaptchaException;
import org.captchasolver.common.Json;
import org.captchasolver.dataset.DatasetIndex;
import org.captchasolver.dataset.DatasetIndexer;
import org.captchasolver.dataset.IndexOptions;
import org.captchasolver.generate.CaptchaStyle;
import org.captchasolver.generate.DatasetGenerator;
import org.captchasolver.generate.GeneratorConfig;
import org.captchasolver.image.InputShape;
import org.captchasolver.model.ModelBundle;
import org.captchasolver.model.ModelManifest;
import org.captchasolver.model.ModelSpec;
import org.captchasolver.network.Weights;
import org.captchasolver.testing.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --init}: a trained network's layers carried into a run on data with another alphabet. */
class FineTuningTest {
    @TempDir Path tmp;

    /** Shares a, b and 2 with the test models' "abcd2345"; x, y and 7 are new. */
    private static final String NEW_CHARSET = "abxy27";

    @Test
    void theSharedLayersStartAsTrainedAndTheClassifierKeepsTheRowsOfCharactersBothAlphabetsHave() throws Exception {
        Path base = TestModels.sharedCrnn();
        ModelSpec baseSpec = ModelBundle.readManifest(base).spec();
        InitialWeights init = InitialWeights.open(base.toString());
        ModelSpec spec = init.adapt(null, 128, "27abxy", 5);
        assertThat(spec.input()).as("channels and height from the base, width from the data")
                .isEqualTo(new InputShape(baseSpec.input().channels(), baseSpec.input().height(), 128, baseSpec.input().resampling()));

        try (Model model = Model.newInstance("t", "PyTorch")) {
            Block trained = Weights.newBlock(baseSpec, model.getNDManager());
            Weights.readParams(trained, model.getNDManager(), base.resolve(ModelBundle.PARAMS));
            Block fresh = Weights.newBlock(spec, model.getNDManager());
            InitialWeights.Transfer t = init.copyInto(fresh, spec);

            List<Parameter> from = trained.getParameters().values();
            List<Parameter> to = fresh.getParameters().values();
            int classifier = to.size() - 2;
            assertThat(t.copied()).isEqualTo(classifier);
            for (int i = 0; i < classifier; i++) {
                assertThat(to.get(i).getArray().toFloatArray()).as(to.get(i).getName())
                        .containsExactly(from.get(i).getArray().toFloatArray());
            }
            assertThat(t.sharedRows()).as("blank, a, b, 2").isEqualTo(4);
            assertThat(t.newRows()).as("x, y, 7").isEqualTo(3);
            float[] oldW = from.get(classifier).getArray().toFloatArray();
            float[] newW = to.get(classifier).getArray().toFloatArray();
            assertThat(to.get(classifier).getArray().getShape().get(0)).isEqualTo(spec.classes());
            int row = newW.length / spec.classes();
            String oldAlphabet = baseSpec.alphabet();
            for (int cls = 0; cls < spec.classes(); cls++) {
                int oldCls = cls == 0 ? 0 : oldAlphabet.indexOf(spec.alphabet().charAt(cls - 1)) + 1;
                float[] got = java.util.Arrays.copyOfRange(newW, cls * row, (cls + 1) * row);
                if (cls == 0 || oldCls > 0) {
                    assertThat(got).as("row of class %d", cls).containsExactly(java.util.Arrays.copyOfRange(oldW, oldCls * row, (oldCls + 1) * row));
                } else {
                    for (int o = 0; o < baseSpec.classes(); o++) {
                        assertThat(got).as("new class %d is not a copy", cls).isNotEqualTo(java.util.Arrays.copyOfRange(oldW, o * row, (o + 1) * row));
                    }
                }
            }
        }
    }

    @Test
    void aRunStartedFromATrainedNetworkTrainsItsLayersOnTheNewAlphabetAndRecordsWhereItStarted() throws Exception {
        Path base = TestModels.sharedCrnn();
        Path data = tmp.resolve("data");
        new DatasetGenerator(GeneratorConfig.builder().count(60).charset(NEW_CHARSET).length(3, 5).size(150, 40)
                .style(CaptchaStyle.CLEAN).seed(5).build()).generate(data);
        DatasetIndex index = new DatasetIndexer(IndexOptions.builder().build()).index(data);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        TrainConfig config = TrainConfig.builder().init(base.toString()).epochs(2).batchSize(16).build();
        TrainingRun.Result r = TrainingRun.start(index, config, tmp.resolve("run"), new PrintStream(log, true));

        ModelManifest m = r.manifest();
        ModelSpec baseSpec = ModelBundle.readManifest(base).spec();
        assertThat(m.spec().alphabet()).isEqualTo("27abxy");
        assertThat(m.spec().input().height()).isEqualTo(baseSpec.input().height());
        assertThat(m.training()).containsEntry("init", base.toString());
        assertThat(log.toString()).contains("Starting from " + base).contains("keeps 4 of 7 rows");
        TrainConfig saved = Json.read(r.folder().config(), TrainConfig.class);
        assertThat(saved.input()).as("the run's config names the network it trains, for --resume").isEqualTo(m.spec().input());
    }

    @Test
    void theBaseRecogniserShipsInTheJarWithDigitsAndBothCasesAndFitsALowerCaseAlphabet() throws Exception {
        InitialWeights init = InitialWeights.open(InitialWeights.BASE);
        assertThat(init.manifest().spec().alphabet().chars().sorted().toArray()).as("digits and both cases")
                .isEqualTo(Pretraining.CHARSET.chars().sorted().toArray());
        ModelSpec spec = init.adapt(null, 128, "abcdefghijkmnpqrstuvwxyz", 6);
        try (Model model = Model.newInstance("t", "PyTorch")) {
            InitialWeights.Transfer t = init.copyInto(Weights.newBlock(spec, model.getNDManager()), spec);
            assertThat(t.sharedRows()).as("every character and the blank").isEqualTo(spec.classes());
            assertThat(t.newRows()).isZero();
        }
    }

    @Test
    void anInputOfAnotherHeightThanTheStartingNetworksIsRefusedNamingBoth() throws Exception {
        InitialWeights init = InitialWeights.open(TestModels.sharedCrnn().toString());
        assertThatThrownBy(() -> init.adapt(InputShape.parse("3x64x256"), 256, "ab", 4))
                .isInstanceOf(CaptchaException.class).hasMessageContaining("--input 3x64x256").hasMessageContaining("keep its channels and height");
        assertThatThrownBy(() -> InitialWeights.open(tmp.resolve("nowhere").toString()))
                .isInstanceOf(CaptchaException.class).hasMessageContaining("does not exist");
    }
}
