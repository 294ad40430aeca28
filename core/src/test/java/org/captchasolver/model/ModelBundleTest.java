package org.captchasolver.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.captchasolver.dataset.DatasetIndex;
import org.captchasolver.dataset.IndexEntry;
import org.captchasolver.dataset.Split;
import org.captchasolver.image.ImageDecoder;
import org.captchasolver.image.ImageTensors;
import org.captchasolver.testing.TestModels;
import org.captchasolver.train.RunFolder;
import org.captchasolver.util.CaptchaException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelBundleTest {
    @TempDir Path tmp;

    @Test
    void bundleRoundTripGivesIdenticalOutputsInAFreshModel() throws Exception {
        Path run = TestModels.sharedCrnn();
        DatasetIndex index = DatasetIndex.read(new RunFolder(run).index());
        List<IndexEntry> test = index.entries(Split.TEST);
        try (CaptchaModel a = CaptchaModel.load(run)) {
            float[] pixels = new float[test.size() * a.spec().input().size()];
            for (int i = 0; i < test.size(); i++) {
                ImageTensors.toChw(ImageDecoder.defaults().decode(index.pathOf(test.get(i))).image(), a.spec().input(), pixels,
                        i * a.spec().input().size());
            }
            // Copy only the bundle's two files: nothing else is needed to load it.
            Path copy = Files.createDirectories(tmp.resolve("copy"));
            Files.copy(run.resolve(ModelBundle.MANIFEST), copy.resolve(ModelBundle.MANIFEST));
            Files.copy(run.resolve(ModelBundle.PARAMS), copy.resolve(ModelBundle.PARAMS));
            try (CaptchaModel b = CaptchaModel.load(copy);
                 ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
                float[] pa = a.probabilities(m, pixels, test.size()).toFloatArray();
                float[] pb = b.probabilities(m, pixels, test.size()).toFloatArray();
                assertThat(pb).containsExactly(pa);
                assertThat(b.predict(pixels, test.size())).extracting(Prediction::text)
                        .containsExactlyElementsOf(a.predict(pixels, test.size()).stream().map(Prediction::text).toList());
            }
            assertThat(a.spec().alphabet()).isEqualTo("2345abcd"); // sorted: the same labels always give the same classes
            assertThat(a.manifest().training()).containsKeys("fingerprint", "epochs", "bestEpoch", "config");
            assertThat(a.manifest().metrics()).containsKeys("val_loss", "val_seq_acc");
        }
    }

    @Test
    void clearErrorsForMissingIncompleteOrForeignBundles() throws Exception {
        assertThatThrownBy(() -> CaptchaModel.load(tmp.resolve("nope"))).isInstanceOf(CaptchaException.class)
                .hasMessageContaining("nope").hasMessageContaining("is not a model folder");
        Path run = TestModels.sharedCrnn();
        Path bad = Files.createDirectories(tmp.resolve("future"));
        Files.writeString(bad.resolve(ModelBundle.MANIFEST),
                Files.readString(run.resolve(ModelBundle.MANIFEST)).replace("\"formatVersion\" : 1", "\"formatVersion\" : 99"));
        Files.copy(run.resolve(ModelBundle.PARAMS), bad.resolve(ModelBundle.PARAMS));
        assertThatThrownBy(() -> CaptchaModel.load(bad)).hasMessageContaining("format 99").hasMessageContaining("retrain");
        Path noParams = Files.createDirectories(tmp.resolve("noparams"));
        Files.copy(run.resolve(ModelBundle.MANIFEST), noParams.resolve(ModelBundle.MANIFEST));
        assertThatThrownBy(() -> CaptchaModel.load(noParams)).hasMessageContaining("model.params");
    }
}
