package org.captchasolver.network;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.captchasolver.model.Decoder;
import org.captchasolver.model.ModelBundle;
import org.captchasolver.model.ModelManifest;
import org.captchasolver.model.ModelSpec;
import org.captchasolver.model.Prediction;

/**
 * A loaded model bundle, ready to predict. Thread-safe: every call works in its own native memory
 * scope, and the weights are only read. Close it to free the native memory.
 */
public final class CaptchaModel implements ScoringModel {
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
        Path params = ModelBundle.require(dir, ModelBundle.PARAMS, "it holds the ONNX model only, which ONNX Runtime runs");
        ModelBundle.verify(params, manifest.paramsSha256());
        Engines.pytorch();
        Model model = Model.newInstance("captcha", "PyTorch");
        try {
            Block block = Weights.newBlock(manifest.spec(), model.getNDManager());
            Weights.readParams(block, model.getNDManager(), params);
            Block inference = InferenceNetwork.of(block, model.getNDManager());
            model.setBlock(inference);
            return new CaptchaModel(model, inference, manifest);
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    @Override
    public org.captchasolver.solve.Engine engine() {
        return org.captchasolver.solve.Engine.PYTORCH;
    }

    @Override
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
            return decode(probabilities(scope, pixels, n));
        }
    }

    /** Predictions with the training loss of each image. */
    public record Scored(List<Prediction> predictions, float[] losses) {}

    /**
     * @param classes {@code n * spec().maxLength()} class ids of the truth, 0-padded
     */
    @Override
    public Scored score(float[] pixels, int n, int[] classes, int[] lengths) {
        try (NDManager scope = model.getNDManager().newSubManager()) {
            NDArray logits = logits(scope, pixels, n);
            float[] losses = Losses.perSample(spec(), Losses.labels(scope, classes, lengths, spec().maxLength()), logits).toFloatArray();
            return new Scored(decode(logits.softmax(2)), losses);
        }
    }

    private List<Prediction> decode(NDArray probs) {
        return decode(spec(), probs);
    }

    /** Texts and confidences from softmax outputs of shape (batch, steps, classes). */
    public static List<Prediction> decode(ModelSpec spec, NDArray probs) {
        Shape shape = probs.getShape();
        return Decoder.decode(spec, probs.toFloatArray(), (int) shape.get(0), (int) shape.get(1));
    }

    /** A native memory scope for one call's arrays; close it when done with them. */
    public NDManager newScope() {
        return model.getNDManager().newSubManager();
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
