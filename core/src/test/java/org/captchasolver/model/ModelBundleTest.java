package org.captchasolver.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.captchasolver.common.CaptchaException;
import org.captchasolver.dataset.DatasetIndex;
import org.captchasolver.dataset.IndexEntry;
import org.captchasolver.dataset.Split;
import org.captchasolver.image.ImageDecoder;
import org.captchasolver.image.ImageTensors;
import org.captchasolver.image.InputShape;
import org.captchasolver.network.CaptchaModel;
import org.captchasolver.network.Networks;
import org.captchasolver.network.Weights;
import org.captchasolver.testing.TestModels;
import org.captchasolver.train.RunFolder;
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
                .hasMessageContaining("nope").hasMessageContaining("does not exist").hasMessageNotContaining("--model");
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

    /**
     * Both stems have the same parameter shapes, so a bundle read with the wrong one would load
     * silently and read garbage: the stem is part of the manifest, and a manifest without one (written
     * before it existed) rebuilds the pooled network it was trained with.
     */
    @Test
    void theStemIsSavedAndBundlesWithoutOneRebuildThePooledNetwork() throws Exception {
        for (ModelSpec.Stem stem : ModelSpec.Stem.values()) {
            ModelSpec spec = new ModelSpec(Architecture.CRNN, new InputShape(1, 32, 64), "ab", 3, 0.25f,
                    ModelSpec.SequenceHead.LSTM, stem);
            Path dir = tmp.resolve(stem.name());
            float[] saved = saveUntrained(spec, dir);
            assertThat(loadAndCompare(dir, ramp(spec), saved).stem()).isEqualTo(stem);
        }
        ModelSpec pooled = new ModelSpec(Architecture.CRNN, new InputShape(1, 32, 64), "ab", 3, 0.25f,
                ModelSpec.SequenceHead.LSTM, ModelSpec.Stem.POOLED);
        Path dir = tmp.resolve("old");
        float[] expected = saveUntrained(pooled, dir);
        dropFromManifest(dir, "stem", "POOLED");
        assertThat(loadAndCompare(dir, ramp(pooled), expected).stem()).isEqualTo(ModelSpec.Stem.POOLED);
        InputShape input = new InputShape(3, 32, 128);
        double pooledFlops = Networks.forwardFlops(new ModelSpec(Architecture.CRNN, input, "ab", 3, 1f));
        double stridedFlops = Networks.forwardFlops(new ModelSpec(Architecture.CRNN, input, "ab", 3, 1f, ModelSpec.SequenceHead.LSTM,
                ModelSpec.Stem.STRIDED));
        // The first layer (3 -> 16 channels, 3x3) at full resolution, 32x128, against a quarter of that.
        assertThat(pooledFlops - stridedFlops).isEqualTo(0.75 * 2.0 * 32 * 128 * 3 * 9 * 16, org.assertj.core.data.Offset.offset(1.0));
    }

    /**
     * Rounding a multiplied width to multiples of 16 changes the network, so the rounding is part of
     * the manifest: a bundle written before it existed rebuilds the exactly scaled network it was
     * trained with (its parameters would not load into the rounded one).
     */
    @Test
    void channelRoundingIsSavedAndBundlesWithoutItRebuildTheExactlyScaledNetwork() throws Exception {
        InputShape input = new InputShape(1, 32, 64);
        ModelSpec rounded = new ModelSpec(Architecture.CRNN, input, "ab", 3, 1.25f);
        ModelSpec exact = new ModelSpec(Architecture.CRNN, input, "ab", 3, 1.25f, ModelSpec.SequenceHead.LSTM,
                ModelSpec.Stem.POOLED, ModelSpec.ChannelRounding.EXACT, ModelSpec.Pooling.BEFORE_NORM);
        int[] bases = {16, 32, 64, 96, 128};
        assertThat(Arrays.stream(bases).map(rounded::channels).toArray()).containsExactly(16, 48, 80, 128, 160);
        assertThat(Arrays.stream(bases).map(exact::channels).toArray()).containsExactly(20, 40, 80, 120, 160);
        ModelSpec one = new ModelSpec(Architecture.CRNN, input, "ab", 3, 1f);
        assertThat(Arrays.stream(bases).map(one::channels).toArray()).containsExactly(bases);
        assertThat(new ModelSpec(Architecture.CRNN, input, "ab", 3, 0.25f).channels(16)).isEqualTo(4);

        Path roundedDir = tmp.resolve("rounded");
        float[] roundedAnswer = saveUntrained(rounded, roundedDir);
        assertThat(loadAndCompare(roundedDir, ramp(rounded), roundedAnswer).channelRounding())
                .isEqualTo(ModelSpec.ChannelRounding.MULTIPLE_OF_16);
        Path dir = tmp.resolve("exact-old");
        float[] expected = saveUntrained(exact, dir);
        dropFromManifest(dir, "channelRounding", "EXACT");
        assertThat(loadAndCompare(dir, ramp(exact), expected).channelRounding()).isEqualTo(ModelSpec.ChannelRounding.EXACT);
    }

    /**
     * The pooling order is part of the manifest, and one without it (written before it existed)
     * rebuilds the order it was trained with. The norms' scales are negated before saving: at their
     * initial positive scales both orders compute the same function.
     */
    @Test
    void thePoolingOrderIsSavedAndBundlesWithoutOneRebuildTheOldOrder() throws Exception {
        InputShape input = new InputShape(1, 32, 64);
        java.util.Map<ModelSpec.Pooling, float[]> answers = new java.util.EnumMap<>(ModelSpec.Pooling.class);
        for (ModelSpec.Pooling pooling : ModelSpec.Pooling.values()) {
            ModelSpec spec = new ModelSpec(Architecture.CRNN, input, "ab", 3, 0.25f, ModelSpec.SequenceHead.LSTM, ModelSpec.Stem.POOLED,
                    pooling);
            Path dir = tmp.resolve(pooling.name());
            float[] saved = saveUntrained(spec, dir, true);
            assertThat(loadAndCompare(dir, ramp(spec), saved).pooling()).isEqualTo(pooling);
            answers.put(pooling, saved);
        }
        assertThat(answers.get(ModelSpec.Pooling.BEFORE_NORM)).as("the orders are different networks")
                .isNotEqualTo(answers.get(ModelSpec.Pooling.AFTER_ACTIVATION));
        assertThat(new ModelSpec(Architecture.CRNN, input, "ab", 3, 1f).pooling()).isEqualTo(ModelSpec.Pooling.BEFORE_NORM);
        Path old = tmp.resolve("old-order");
        ModelSpec before = new ModelSpec(Architecture.CRNN, input, "ab", 3, 0.25f, ModelSpec.SequenceHead.LSTM, ModelSpec.Stem.POOLED,
                ModelSpec.Pooling.AFTER_ACTIVATION);
        float[] expected = saveUntrained(before, old, true);
        dropFromManifest(old, "pooling", "AFTER_ACTIVATION");
        assertThat(loadAndCompare(old, ramp(before), expected).pooling()).isEqualTo(ModelSpec.Pooling.AFTER_ACTIVATION);
    }

    /** How images are resized is part of the input, and bundles written before the choice existed keep bilinear. */
    @Test
    void theResamplingIsSavedAndBundlesWithoutOneKeepBilinear() throws Exception {
        InputShape input = new InputShape(1, 32, 64);
        assertThat(input.resampling()).isEqualTo(InputShape.Resampling.ANTIALIASED);
        ModelSpec spec = new ModelSpec(Architecture.CRNN, input, "ab", 3, 0.25f);
        Path dir = tmp.resolve("antialiased");
        float[] saved = saveUntrained(spec, dir);
        assertThat(loadAndCompare(dir, ramp(spec), saved).input()).isEqualTo(input);
        dropFromManifest(dir, "resampling", "ANTIALIASED");
        assertThat(loadAndCompare(dir, ramp(spec), saved).input().resampling())
                .isEqualTo(InputShape.Resampling.BILINEAR);
    }

    /** Makes a saved bundle look written before {@code field} existed: its manifest loses {@code "field" : "value"}. */
    private static void dropFromManifest(Path dir, String field, String value) throws Exception {
        Path manifest = dir.resolve(ModelBundle.MANIFEST);
        String json = Files.readString(manifest);
        String entry = "\"" + field + "\" : \"" + value + "\"";
        assertThat(json).contains(entry);
        Files.writeString(manifest, json.replaceAll(",\\s*" + java.util.regex.Pattern.quote(entry), ""));
        assertThat(Files.readString(manifest)).doesNotContain("\"" + field + "\"");
    }

    /** Loads a bundle, checks it answers {@code pixels} as it did when saved, and returns the spec it was rebuilt from. */
    private static ModelSpec loadAndCompare(Path dir, float[] pixels, float[] saved) throws Exception {
        try (CaptchaModel model = CaptchaModel.load(dir); ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
            assertThat(model.probabilities(m, pixels, 1).toFloatArray()).as("the same network and weights as saved")
                    .containsExactly(saved, org.assertj.core.data.Offset.offset(1e-6f));
            return model.spec();
        }
    }

    private static float[] saveUntrained(ModelSpec spec, Path dir) throws Exception {
        return saveUntrained(spec, dir, false);
    }

    /** Saves a freshly initialised bundle, its norms' scales negated if asked, and returns its answer to {@link #ramp}. */
    private static float[] saveUntrained(ModelSpec spec, Path dir, boolean negateNorms) throws Exception {
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
            ai.djl.nn.Block block = Weights.newBlock(spec, m);
            if (negateNorms) {
                for (ai.djl.nn.Block child : block.getChildren().values()) {
                    if (child instanceof ai.djl.nn.norm.BatchNorm norm) {
                        norm.getParameters().get("gamma").getArray().muli(-1);
                    }
                }
            }
            Weights.save(dir, new ModelManifest(ModelManifest.FORMAT_VERSION, "test", "untrained", spec, null, java.util.Map.of(),
                    java.util.Map.of(), "2026-11-24T00:00:00Z"), block);
            return block.forward(new ai.djl.training.ParameterStore(m, false),
                    new ai.djl.ndarray.NDList(m.create(ramp(spec), Weights.inputShape(spec, 1))), false).singletonOrThrow().softmax(2)
                    .toFloatArray();
        }
    }

    private static float[] ramp(ModelSpec spec) {
        float[] pixels = new float[spec.input().size()];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (i % 7) / 7f;
        }
        return pixels;
    }
}
