package org.captchasolver.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.captchasolver.model.Decoder;
import org.captchasolver.model.ModelBundle;
import org.captchasolver.model.ModelManifest;
import org.captchasolver.onnxruntime.OnnxRuntimeLoader;
import org.captchasolver.onnxruntime.OnnxRuntimeNetwork;
import org.captchasolver.solve.Engine;
import org.captchasolver.solve.spi.Network;

/**
 * Evaluation on ONNX Runtime: the network runs there; each image's loss is the training loss computed on the log of
 * its probabilities (softmax of log p is p again, so the loss is the one the logits would give).
 */
final class OnnxScoringModel implements ScoringModel {
    private final Network network;
    private final ModelManifest manifest;
    private final NDManager manager;

    private OnnxScoringModel(Network network, ModelManifest manifest) {
        this.network = network;
        this.manifest = manifest;
        Engines.pytorch();
        this.manager = NDManager.newBaseManager("PyTorch");
    }

    static OnnxScoringModel load(Path model) throws IOException {
        if (Files.isRegularFile(model)) {
            OnnxRuntimeNetwork.Loaded loaded = OnnxRuntimeNetwork.open(model, null);
            return new OnnxScoringModel(loaded.network(), loaded.manifest());
        }
        ModelManifest manifest = ModelBundle.readManifest(model);
        return new OnnxScoringModel(new OnnxRuntimeLoader().load(model, manifest), manifest);
    }

    @Override
    public ModelManifest manifest() {
        return manifest;
    }

    @Override
    public Engine engine() {
        return Engine.ONNX;
    }

    @Override
    public CaptchaModel.Scored score(float[] pixels, int n, int[] classes, int[] lengths) {
        float[] probs = network.probabilities(pixels, n);
        int steps = probs.length / (n * spec().classes());
        float[] logs = new float[probs.length];
        for (int i = 0; i < probs.length; i++) {
            logs[i] = (float) Math.log(Math.max(probs[i], Float.MIN_NORMAL)); // a 0 would make the loss infinite
        }
        try (NDManager scope = manager.newSubManager()) {
            NDArray logits = scope.create(logs, new Shape(n, steps, spec().classes()));
            float[] losses = Losses.perSample(spec(), Losses.labels(scope, classes, lengths, spec().maxLength()), logits).toFloatArray();
            return new CaptchaModel.Scored(Decoder.decode(spec(), probs, n, steps), losses);
        }
    }

    @Override
    public void close() {
        network.close();
        manager.close();
    }
}
