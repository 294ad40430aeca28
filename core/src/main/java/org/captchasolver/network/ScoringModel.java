package org.captchasolver.network;

import java.io.IOException;
import java.nio.file.Path;
import org.captchasolver.model.ModelManifest;
import org.captchasolver.model.ModelSpec;
import org.captchasolver.solve.Engine;

/** A model that reads images and scores them against their labels, on either engine: what evaluation runs. */
public interface ScoringModel extends AutoCloseable {

    /** What the model is. */
    ModelManifest manifest();

    /** The network and how to read its output. */
    default ModelSpec spec() {
        return manifest().spec();
    }

    /** The engine that runs it. */
    Engine engine();

    /**
     * Predictions with the training loss of each image.
     *
     * @param pixels  {@code n} images in CHW order
     * @param n       how many
     * @param classes {@code n * spec().maxLength()} class ids of the truth, 0-padded
     * @param lengths the truth's length per image
     */
    CaptchaModel.Scored score(float[] pixels, int n, int[] classes, int[] lengths);

    @Override
    void close();

    /**
     * Loads a model folder (or an {@code .onnx} file) on an engine: {@link Engine#AUTO} takes ONNX Runtime when the
     * bundle has {@code model.onnx}.
     *
     * @throws org.captchasolver.common.CaptchaException naming the file when it is not a usable model
     * @throws IOException when it cannot be read
     */
    static ScoringModel load(Path model, Engine engine) throws IOException {
        return engine.resolve(model) == Engine.ONNX ? OnnxScoringModel.load(model) : CaptchaModel.load(model);
    }
}
