package org.captchasolver.solve.spi;

import java.io.IOException;
import java.nio.file.Path;
import org.captchasolver.model.ModelManifest;
import org.captchasolver.solve.Engine;

/**
 * Loads a bundle's network for one engine. Found with {@link java.util.ServiceLoader}: ONNX Runtime's is part of
 * this library; PyTorch's comes with {@code captcha-core}.
 */
public interface NetworkLoader {

    /**
     * The loader on the class path for an engine.
     *
     * @param engine {@link Engine#ONNX} or {@link Engine#PYTORCH}
     * @return the loader, or empty when none is on the class path (PyTorch's comes with captcha-core)
     */
    static java.util.Optional<NetworkLoader> find(Engine engine) {
        for (NetworkLoader l : java.util.ServiceLoader.load(NetworkLoader.class, NetworkLoader.class.getClassLoader())) {
            if (l.engine() == engine) {
                return java.util.Optional.of(l);
            }
        }
        return java.util.Optional.empty();
    }

    /** The engine this loader runs: {@link Engine#ONNX} or {@link Engine#PYTORCH}. */
    Engine engine();

    /** The file of a bundle folder this loader reads: {@code model.onnx} or {@code model.params}. */
    String file();

    /**
     * Loads the network of a bundle folder whose manifest has been read and checked.
     *
     * @param dir      the bundle folder, holding {@link #file()}
     * @param manifest its {@code model.json}
     * @return the network, to be closed by the caller
     * @throws org.captchasolver.common.CaptchaException naming the file when it is damaged or does not fit the manifest
     * @throws IOException when it cannot be read
     */
    Network load(Path dir, ModelManifest manifest) throws IOException;
}
