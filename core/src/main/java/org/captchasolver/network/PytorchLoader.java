package org.captchasolver.network;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import org.captchasolver.model.ModelBundle;
import org.captchasolver.model.ModelManifest;
import org.captchasolver.solve.Engine;
import org.captchasolver.solve.spi.Network;
import org.captchasolver.solve.spi.NetworkLoader;

/** Runs a bundle's {@code model.params} on PyTorch, the network exactly as training ran it (its solving form). */
public final class PytorchLoader implements NetworkLoader {

    /** Made by {@link java.util.ServiceLoader}. */
    public PytorchLoader() {}

    @Override
    public Engine engine() {
        return Engine.PYTORCH;
    }

    @Override
    public String file() {
        return ModelBundle.PARAMS;
    }

    @Override
    public Network load(Path dir, ModelManifest manifest) throws IOException {
        CaptchaModel model = CaptchaModel.load(dir);
        return new Network() {
            @Override
            public float[] probabilities(float[] pixels, int n) {
                try (NDManager scope = model.newScope()) {
                    return model.probabilities(scope, pixels, n).toFloatArray();
                }
            }

            @Override
            public void close() {
                model.close();
            }
        };
    }
}
