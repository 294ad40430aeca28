package org.captchasolver.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.captchasolver.dataset.DatasetIndex;
import org.captchasolver.dataset.IndexEntry;
import org.captchasolver.dataset.Split;
import org.captchasolver.image.ImageDecoder;
import org.captchasolver.image.ImageTensors;
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
            Block trained = ModelBundle.newBlock(spec, m);
            ModelBundle.readParams(trained, m, run.resolve(ModelBundle.PARAMS));
            int batchNorms = count(trained, BatchNorm.class);
            float[] expected = trained.forward(new ParameterStore(m, false),
                    new NDList(m.create(pixels, ModelBundle.inputShape(spec, n))), false).singletonOrThrow().softmax(2).toFloatArray();

            float[] batched = solving.probabilities(m, pixels, n).toFloatArray();
            assertThat(batched).containsExactly(expected, offset(2e-5f));
            float[] first = solving.probabilities(m, pixels, 1).toFloatArray();
            assertThat(first).containsExactly(Arrays.copyOf(expected, first.length), offset(2e-5f));

            Block folded = InferenceNetwork.of(trained, m);
            assertThat(batchNorms).isEqualTo(6);
            assertThat(count(folded, BatchNorm.class)).as("every batch norm follows a convolution").isZero();
            assertThat(count(folded, Dropout.class)).isZero();
            assertThat(folded.getChildren().size()).isLessThan(trained.getChildren().size() - batchNorms);
        }
    }

    private static int count(Block block, Class<? extends Block> type) {
        int n = type.isInstance(block) ? 1 : 0;
        for (Block child : block.getChildren().values()) {
            n += count(child, type);
        }
        return n;
    }
}
