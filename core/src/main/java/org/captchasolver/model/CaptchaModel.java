package org.captchasolver.model;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A loaded model bundle, ready to predict. Thread-safe: every call works in its own native memory
 * scope, and the weights are only read. Close it to free the native memory.
 */
public final class CaptchaModel implements AutoCloseable {
    private final Model model;
    private final Block block;
    private final ModelManifest manifest;

    private CaptchaModel(Model model, Block block, ModelManifest manifest) {
        this.model = model;
        this.block = block;
        this.manifest = manifest;
    }

    public static CaptchaModel load(Path dir) throws IOException {
        ModelManifest manifest = ModelBundle.readManifest(dir);
        ModelBundle.verifyParams(dir, manifest);
        Engines.pytorch();
        Model model = Model.newInstance("captcha", "PyTorch");
        try {
            Block block = ModelBundle.newBlock(manifest.spec(), model.getNDManager());
            ModelBundle.readParams(block, model.getNDManager(), dir.resolve(ModelBundle.PARAMS));
            Block inference = InferenceNetwork.of(block, model.getNDManager());
            model.setBlock(inference);
            return new CaptchaModel(model, inference, manifest);
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    public ModelManifest manifest() {
        return manifest;
    }

    public ModelSpec spec() {
        return manifest.spec();
    }

    /**
     * @param pixels {@code n} images in CHW order, each {@code spec().input().size()} floats
     */
    public List<Prediction> predict(float[] pixels, int n) {
        try (NDManager scope = model.getNDManager().newSubManager()) {
            return Decoder.decode(spec(), probabilities(scope, pixels, n));
        }
    }

    /** Predictions with the training loss of each image. */
    public record Scored(List<Prediction> predictions, float[] losses) {}

    /**
     * @param classes {@code n * spec().maxLength()} class ids of the truth, 0-padded
     */
    public Scored score(float[] pixels, int n, int[] classes, int[] lengths) {
        try (NDManager scope = model.getNDManager().newSubManager()) {
            NDArray logits = logits(scope, pixels, n);
            float[] losses = Losses.perSample(spec(), Losses.labels(scope, classes, lengths, spec().maxLength()), logits).toFloatArray();
            return new Scored(Decoder.decode(spec(), logits.softmax(2)), losses);
        }
    }

    /** Softmax outputs (n, steps, classes), attached to {@code scope}. */
    public NDArray probabilities(NDManager scope, float[] pixels, int n) {
        return logits(scope, pixels, n).softmax(2);
    }

    private NDArray logits(NDManager scope, float[] pixels, int n) {
        NDList in = new NDList(NetworkInput.of(scope, spec(), pixels, n));
        return block.forward(new ParameterStore(scope, false), in, false).singletonOrThrow();
    }

    @Override
    public void close() {
        model.close();
    }
}
