package org.captchasolver.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.captchasolver.dataset.DatasetIndex;
import org.captchasolver.dataset.IndexEntry;
import org.captchasolver.dataset.Split;
import org.captchasolver.image.ImageDecoder;
import org.captchasolver.image.ImageTensors;
import org.captchasolver.model.ModelBundle;
import org.captchasolver.model.ModelManifest;
import org.captchasolver.model.ModelSpec;
import org.captchasolver.testing.TestModels;
import org.captchasolver.train.RunFolder;
import org.junit.jupiter.api.Test;

/**
 * The solving network (batch norms folded, dropout dropped, channels-last input) must compute what
 * the trained network computes: checked on a trained model, whose batch norms hold real statistics.
 */
class InferenceNetworkTest {
    @Test
    void foldedChannelsLastNetworkAnswersLikeTheTrainedOne() throws Exception {
        Path run = TestModels.sharedCrnn();
        DatasetIndex index = DatasetIndex.read(new RunFolder(run).index());
        List<IndexEntry> test = index.entries(Split.TEST);
        ModelManifest manifest = ModelBundle.readManifest(run);
        ModelSpec spec = manifest.spec();
        int n = test.size();
        float[] pixels = new float[n * spec.input().size()];
        for (int i = 0; i < n; i++) {
            ImageTensors.toChw(ImageDecoder.defaults().decode(index.pathOf(test.get(i))).image(), spec.input(), pixels,
                    i * spec.input().size());
        }
        try (NDManager m = NDManager.newBaseManager(); CaptchaModel solving = CaptchaModel.load(run)) {
            Block trained = Weights.newBlock(spec, m);
            Weights.readParams(trained, m, run.resolve(ModelBundle.PARAMS));
            int batchNorms = count(trained, BatchNorm.class);
            float[] expected = trained.forward(new ParameterStore(m, false),
                    new NDList(m.create(pixels, Weights.inputShape(spec, n))), false).singletonOrThrow().softmax(2).toFloatArray();

            float[] batched = solving.probabilities(m, pixels, n).toFloatArray();
            assertThat(batched).containsExactly(expected, offset(2e-5f));
            float[] first = solving.probabilities(m, pixels, 1).toFloatArray();
            assertThat(first).containsExactly(Arrays.copyOf(expected, first.length), offset(2e-5f));

            Block folded = InferenceNetwork.of(trained, m);
            assertThat(batchNorms).isEqualTo(6);
            assertThat(count(folded, BatchNorm.class)).as("every batch norm follows a convolution").isZero();
            assertThat(count(trained, MaskDropout.class)).isEqualTo(2);
            assertThat(count(folded, MaskDropout.class)).isZero();
            assertThat(folded.getChildren().size()).isLessThan(trained.getChildren().size() - batchNorms);
        }
    }

    /**
     * Both layer orders, with the norms' scales as trained and with the first norm's scales negated:
     * a norm after a max pooling may only be folded when no scale is negative (max does not commute
     * with a decreasing map), so there it must stay, and the answers must not change either way.
     * The trained weights are copied into both orders (the same parameters, in the same sequence), so
     * each is a network with real statistics.
     */
    @Test
    void aNormAfterPoolingIsFoldedOnlyWhenItsScalesAreNonNegative() throws Exception {
        Path run = TestModels.sharedCrnn();
        DatasetIndex index = DatasetIndex.read(new RunFolder(run).index());
        List<IndexEntry> test = index.entries(Split.TEST).subList(0, 4);
        ModelSpec trainedSpec = ModelBundle.readManifest(run).spec();
        float[] pixels = new float[test.size() * trainedSpec.input().size()];
        for (int i = 0; i < test.size(); i++) {
            ImageTensors.toChw(ImageDecoder.defaults().decode(index.pathOf(test.get(i))).image(), trainedSpec.input(), pixels,
                    i * trainedSpec.input().size());
        }
        for (ModelSpec.Pooling pooling : ModelSpec.Pooling.values()) {
            for (boolean negate : new boolean[] {false, true}) {
                ModelSpec spec = new ModelSpec(trainedSpec.architecture(), trainedSpec.input(), trainedSpec.alphabet(),
                        trainedSpec.maxLength(), trainedSpec.widthMultiplier(), trainedSpec.sequenceHead(), trainedSpec.stem(), pooling);
                // A fresh network per case: InferenceNetwork.of changes the convolutions' weights in place.
                try (NDManager m = NDManager.newBaseManager()) {
                    Block saved = Weights.newBlock(trainedSpec, m);
                    Weights.readParams(saved, m, run.resolve(ModelBundle.PARAMS));
                    Block trained = Weights.newBlock(spec, m);
                    var from = saved.getParameters();
                    var to = trained.getParameters();
                    assertThat(to.size()).isEqualTo(from.size());
                    for (int p = 0; p < from.size(); p++) {
                        to.valueAt(p).getArray().set(from.valueAt(p).getArray().toFloatArray());
                    }
                    if (negate) {
                        first(trained, BatchNorm.class).getParameters().get("gamma").getArray().muli(-1);
                    }
                    NDList input = new NDList(m.create(pixels, Weights.inputShape(spec, test.size())));
                    float[] expected = trained.forward(new ParameterStore(m, false), input, false).singletonOrThrow().softmax(2).toFloatArray();
                    Block folded = InferenceNetwork.of(trained, m);
                    float[] actual = folded.forward(new ParameterStore(m, false), input, false).singletonOrThrow().softmax(2).toFloatArray();
                    String layout = pooling + (negate ? ", first norm negated" : "");
                    assertThat(actual).as(layout).containsExactly(expected, offset(2e-5f));
                    int kept = negate && pooling == ModelSpec.Pooling.BEFORE_NORM ? 1 : 0;
                    assertThat(count(folded, BatchNorm.class)).as(layout).isEqualTo(kept);
                }
            }
        }
    }

    private static <T extends Block> T first(Block block, Class<T> type) {
        for (Block child : block.getChildren().values()) {
            if (type.isInstance(child)) {
                return type.cast(child);
            }
        }
        throw new AssertionError("no " + type.getSimpleName());
    }

    private static int count(Block block, Class<? extends Block> type) {
        int n = type.isInstance(block) ? 1 : 0;
        for (Block child : block.getChildren().values()) {
            n += count(child, type);
        }
        return n;
    }
}
