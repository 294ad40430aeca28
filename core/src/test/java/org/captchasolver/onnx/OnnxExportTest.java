package org.captchasolver.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.captchasolver.augment.Augmentation;
import org.captchasolver.common.CaptchaException;
import org.captchasolver.common.Json;
import org.captchasolver.dataset.DatasetIndex;
import org.captchasolver.dataset.DatasetIndexer;
import org.captchasolver.dataset.IndexEntry;
import org.captchasolver.dataset.IndexOptions;
import org.captchasolver.dataset.Split;
import org.captchasolver.dataset.SplitRatios;
import org.captchasolver.image.ImageDecoder;
import org.captchasolver.image.ImageTensors;
import org.captchasolver.image.InputShape;
import org.captchasolver.model.Architecture;
import org.captchasolver.model.ModelBundle;
import org.captchasolver.model.ModelManifest;
import org.captchasolver.model.ModelSpec;
import org.captchasolver.network.CaptchaModel;
import org.captchasolver.onnxruntime.OnnxRuntimeNetwork;
import org.captchasolver.solve.CaptchaSolver;
import org.captchasolver.solve.Engine;
import org.captchasolver.solve.Solution;
import org.captchasolver.testing.TestModels;
import org.captchasolver.train.RunFolder;
import org.captchasolver.train.TrainConfig;
import org.captchasolver.train.TrainingRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ONNX model that training writes is the network PyTorch runs: on every test image of a trained model the two
 * engines give the same text, and every probability within 1e-4 (float32 kernels of two libraries sum in different
 * orders; a wrong gate order or a missed layer is off by far more, as the untrained-weights case shows).
 */
class OnnxExportTest {
    private static final double TOLERANCE = 1e-4;
    @TempDir Path tmp;

    @Test
    void onnxRuntimeReadsEveryTestImageAsPytorchDoes() throws Exception {
        Path model = TestModels.sharedCrnn();
        assertThat(model.resolve(ModelBundle.ONNX)).as("training writes model.onnx").isRegularFile();
        assertEnginesAgreeOnTestSplit(model);
    }

    @Test
    void everyNetworkVariantExportsFaithfully() throws Exception {
        Path data = TestModels.generate(tmp.resolve("data"), 48, 3);
        DatasetIndex index = new DatasetIndexer(IndexOptions.builder().ratios(new SplitRatios(0.5, 0.25, 0.25)).build()).index(data);
        List<TrainConfig.Builder> variants = List.of(
                base(Architecture.CRNN, TestModels.CRNN_INPUT).sequenceHead(ModelSpec.SequenceHead.CONV).stem(ModelSpec.Stem.STRIDED),
                base(Architecture.CRNN, new InputShape(1, 32, 64)).pooling(ModelSpec.Pooling.AFTER_ACTIVATION),
                base(Architecture.SEED_CNN, new InputShape(3, 32, 64)).widthMultiplier(0.125f));
        int i = 0;
        for (TrainConfig.Builder v : variants) {
            Path run = TrainingRun.start(index, v.build(), tmp.resolve("run" + i++), TestModels.quiet()).folder().dir();
            assertEnginesAgreeOnTestSplit(run);
        }
    }

    private static TrainConfig.Builder base(Architecture arch, InputShape input) {
        return TrainConfig.builder().architecture(arch).input(input).epochs(2).batchSize(8).learningRate(3e-3f)
                .augmentation(Augmentation.NONE).seed(5);
    }

    private static void assertEnginesAgreeOnTestSplit(Path run) throws Exception {
        DatasetIndex index = DatasetIndex.read(new RunFolder(run).index());
        List<IndexEntry> test = index.entries().stream().filter(e -> e.split() == Split.TEST).toList();
        assertThat(test).isNotEmpty();
        ModelManifest manifest = ModelBundle.readManifest(run);
        InputShape shape = manifest.spec().input();
        float[] pixels = new float[test.size() * shape.size()];
        for (int i = 0; i < test.size(); i++) {
            ImageTensors.toChw(ImageDecoder.defaults().decode(index.pathOf(test.get(i))).image(), shape, pixels, i * shape.size());
        }
        float[] expected;
        try (CaptchaModel pytorch = CaptchaModel.load(run); NDManager scope = pytorch.newScope()) {
            expected = pytorch.probabilities(scope, pixels, test.size()).toFloatArray();
        }
        float[] actual;
        try (OnnxRuntimeNetwork ort = OnnxRuntimeNetwork.open(run.resolve(ModelBundle.ONNX), manifest).network()) {
            actual = ort.probabilities(pixels, test.size());
        }
        assertThat(actual).hasSameSizeAs(expected);
        double max = 0;
        for (int i = 0; i < expected.length; i++) {
            max = Math.max(max, Math.abs(expected[i] - actual[i]));
        }
        assertThat(max).as("largest probability difference, %s", manifest.spec().architecture()).isLessThanOrEqualTo(TOLERANCE);
        try (CaptchaSolver onnx = CaptchaSolver.load(run, Engine.ONNX, ImageDecoder.DEFAULT_MAX_PIXELS);
             CaptchaSolver pytorch = CaptchaSolver.load(run, Engine.PYTORCH, ImageDecoder.DEFAULT_MAX_PIXELS)) {
            assertThat(onnx.engine()).isEqualTo(Engine.ONNX);
            assertThat(pytorch.engine()).isEqualTo(Engine.PYTORCH);
            for (IndexEntry e : test) {
                Solution a = onnx.solve(index.pathOf(e));
                Solution b = pytorch.solve(index.pathOf(e));
                assertThat(a.text()).as(e.file()).isEqualTo(b.text());
                assertThat(a.confidence()).as(e.file()).isCloseTo(b.confidence(), org.assertj.core.api.Assertions.within(1e-3));
            }
        }
    }

    @Test
    void batchNormsFoldIntoTheConvolutionsExceptOneWithANegativeScaleAfterPooling() throws Exception {
        Path model = TestModels.sharedCrnn();
        List<String> folded = opTypes(model.resolve(ModelBundle.ONNX));
        assertThat(folded).as("every norm folded").doesNotContain("Mul", "BatchNormalization").containsOnlyOnce("Add"); // the classifier's bias

        Path negative = copy(model, tmp.resolve("negative"));
        ModelManifest manifest = ModelBundle.readManifest(negative);
        org.captchasolver.network.Engines.pytorch();
        try (ai.djl.Model m = ai.djl.Model.newInstance("edit", "PyTorch")) {
            ai.djl.nn.Block block = org.captchasolver.network.Weights.newBlock(manifest.spec(), m.getNDManager());
            org.captchasolver.network.Weights.readParams(block, m.getNDManager(), negative.resolve(ModelBundle.PARAMS));
            ai.djl.nn.Parameter gamma = block.getParameters().values().stream().filter(p -> p.getName().equals("gamma"))
                    .findFirst().orElseThrow(); // the first stage's norm, after its pooling
            ai.djl.ndarray.NDArray flip = m.getNDManager().ones(gamma.getArray().getShape());
            flip.set(new ai.djl.ndarray.index.NDIndex(0), -1f);
            gamma.getArray().muli(flip);
            org.captchasolver.network.Weights.save(negative, manifest, block);
        }
        List<String> ops = opTypes(negative.resolve(ModelBundle.ONNX));
        assertThat(ops).as("that norm stays after the pooling").containsOnlyOnce("Mul");
        assertThat(ops.stream().filter("Add"::equals)).hasSize(2);
        assertEnginesAgreeOnTestSplit(negative);
    }

    private static List<String> opTypes(Path onnx) throws Exception {
        return ai.onnx.proto.OnnxMl.ModelProto.parseFrom(Files.readAllBytes(onnx)).getGraph().getNodeList().stream()
                .map(ai.onnx.proto.OnnxMl.NodeProto::getOpType).toList();
    }

    @Test
    void theOnnxFileAloneSolvesAndTellsOtherRuntimesWhatItIs() throws Exception {
        Path model = TestModels.sharedCrnn();
        Path alone = Files.copy(model.resolve(ModelBundle.ONNX), Files.createDirectories(tmp.resolve("elsewhere")).resolve("reader.onnx"));
        DatasetIndex index = DatasetIndex.read(new RunFolder(model).index());
        List<Path> images = index.entries().stream().limit(16).map(index::pathOf).toList();
        try (CaptchaSolver bundle = CaptchaSolver.load(model); CaptchaSolver file = CaptchaSolver.load(alone)) {
            assertThat(bundle.engine()).as("the default engine for a bundle with model.onnx").isEqualTo(Engine.ONNX);
            assertThat(file.manifest().spec()).isEqualTo(bundle.manifest().spec());
            for (Path image : images) {
                assertThat(file.solve(image)).isEqualTo(bundle.solve(image));
            }
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(alone.toString())) {
            Map<String, String> meta = session.getMetadata().getCustomMetadata();
            ModelSpec spec = ModelBundle.readManifest(model).spec();
            assertThat(meta).containsEntry("alphabet", spec.alphabet())
                    .containsEntry("input_channels", "3").containsEntry("input_height", String.valueOf(spec.input().height()))
                    .containsEntry("input_width", String.valueOf(spec.input().width()))
                    .containsEntry("resampling", "antialiased").containsEntry("max_length", String.valueOf(spec.maxLength()))
                    .containsKeys("decoding", "version", ModelBundle.ONNX_MANIFEST_KEY);
            assertThat(session.getInputInfo().get(OnnxRuntimeNetwork.INPUT).getInfo().toString()).contains("shape=[-1, 3");
        }
    }

    @Test
    void exportUpgradesABundleWithoutOnnxAndTheEngineFollows() throws Exception {
        Path model = copy(TestModels.sharedCrnn(), tmp.resolve("old"));
        Files.delete(model.resolve(ModelBundle.ONNX));
        ModelManifest old = ModelBundle.readManifest(model);
        Json.MAPPER.writeValue(model.resolve(ModelBundle.MANIFEST).toFile(), old.withOnnxSha256(null));

        try (CaptchaSolver auto = CaptchaSolver.load(model)) {
            assertThat(auto.engine()).as("a bundle without model.onnx runs on PyTorch").isEqualTo(Engine.PYTORCH);
        }
        assertThatThrownBy(() -> CaptchaSolver.load(model, Engine.ONNX, 1000))
                .isInstanceOf(CaptchaException.class).hasMessageContaining("model.onnx").hasMessageContaining("captcha export");

        BundleExport.Result r = BundleExport.export(model, null);
        assertThat(r.bundleUpdated()).isTrue();
        assertThat(r.maxDifference()).isLessThanOrEqualTo(TOLERANCE);
        assertThat(ModelBundle.readManifest(model).onnxSha256()).isEqualTo(ModelBundle.sha256(model.resolve(ModelBundle.ONNX)));
        try (CaptchaSolver auto = CaptchaSolver.load(model)) {
            assertThat(auto.engine()).isEqualTo(Engine.ONNX);
        }
    }

    @Test
    void aChangedOnnxFileIsRefusedNamingIt() throws Exception {
        Path model = copy(TestModels.sharedCrnn(), tmp.resolve("tampered"));
        byte[] bytes = Files.readAllBytes(model.resolve(ModelBundle.ONNX));
        bytes[bytes.length - 100] ^= 1;
        Files.write(model.resolve(ModelBundle.ONNX), bytes);
        assertThatThrownBy(() -> CaptchaSolver.load(model)).isInstanceOf(CaptchaException.class)
                .hasMessageContaining(model.resolve(ModelBundle.ONNX).toString()).hasMessageContaining("changed or damaged");

        Path notOnnx = Files.writeString(tmp.resolve("notes.onnx"), "not a model");
        assertThatThrownBy(() -> CaptchaSolver.load(notOnnx)).isInstanceOf(CaptchaException.class)
                .hasMessageStartingWith(notOnnx + " is not an ONNX model");
    }

    private static Path copy(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        for (String f : List.of(ModelBundle.MANIFEST, ModelBundle.PARAMS, ModelBundle.ONNX)) {
            Files.copy(from.resolve(f), to.resolve(f));
        }
        Path index = Files.createDirectories(new RunFolder(to).index());
        try (var files = Files.list(new RunFolder(from).index())) {
            for (Path f : files.toList()) {
                Files.copy(f, index.resolve(f.getFileName()));
            }
        }
        return to;
    }
}
