package org.captchasolver.onnxruntime;

import java.io.IOException;
import java.nio.file.Path;
import org.captchasolver.model.ModelBundle;
import org.captchasolver.model.ModelManifest;
import org.captchasolver.solve.Engine;
import org.captchasolver.solve.spi.Network;
import org.captchasolver.solve.spi.NetworkLoader;

/** Loads a bundle's {@code model.onnx} into ONNX Runtime, after checking it against the manifest's checksum. */
public final class OnnxRuntimeLoader implements NetworkLoader {

    /** Made by {@link java.util.ServiceLoader}. */
    public OnnxRuntimeLoader() {}

    @Override
    public Engine engine() {
        return Engine.ONNX;
    }

    @Override
    public String file() {
        return ModelBundle.ONNX;
    }

    @Override
    public Network load(Path dir, ModelManifest manifest) throws IOException {
        Path onnx = ModelBundle.require(dir, ModelBundle.ONNX,
                "the model was trained before ONNX export; add it with `captcha export -m " + dir + "`");
        ModelBundle.verify(onnx, manifest.onnxSha256());
        return OnnxRuntimeNetwork.open(onnx, manifest).network();
    }
}
