package org.captchasolver.solve;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.captchasolver.common.CaptchaException;
import org.captchasolver.common.Folders;
import org.captchasolver.image.ImageDecoder;
import org.captchasolver.model.ModelBundle;
import org.captchasolver.model.ModelManifest;
import org.captchasolver.onnxruntime.OnnxRuntimeNetwork;
import org.captchasolver.solve.spi.Network;
import org.captchasolver.solve.spi.NetworkLoader;

/** Turns the forms a model comes in (folder, zip, ONNX file or stream) into a solver on the chosen engine. */
final class ModelLoading {
    private ModelLoading() {}

    static CaptchaSolver fromFolder(Path dir, Engine engine, ImageDecoder images) throws IOException {
        ModelManifest manifest = ModelBundle.readManifest(dir);
        Engine chosen = engine.resolve(dir);
        NetworkLoader loader = loader(chosen, dir);
        Network network = loader.load(dir, manifest);
        return new CaptchaSolver(manifest, network, chosen, images);
    }

    private static NetworkLoader loader(Engine engine, Path dir) {
        java.util.Optional<NetworkLoader> found = NetworkLoader.find(engine);
        if (found.isPresent()) {
            return found.get();
        }
        if (engine == Engine.PYTORCH) {
            throw new CaptchaException(dir + " needs PyTorch (it has no " + ModelBundle.ONNX + "), which is not on the "
                    + "class path: add org.captchasolver:captcha-core, or export the model with `captcha export -m " + dir + "`");
        }
        throw new CaptchaException("no " + engine + " engine on the class path: the captcha-solver jar is incomplete");
    }

    static CaptchaSolver fromZip(InputStream zip, Engine engine, ImageDecoder images) throws IOException {
        Path dir = Files.createTempDirectory("captcha-model-");
        try {
            ModelBundle.unpack(zip, dir);
            return fromFolder(dir, engine, images);
        } finally {
            Folders.deleteRecursively(dir); // once loaded, the model lives in memory
        }
    }

    static CaptchaSolver fromOnnxFile(Path file, Engine engine, ImageDecoder images) {
        if (engine == Engine.PYTORCH) {
            throw new CaptchaException(file + " is an ONNX model: load it with Engine.ONNX or Engine.AUTO");
        }
        OnnxRuntimeNetwork.Loaded loaded = OnnxRuntimeNetwork.open(file, null);
        return new CaptchaSolver(loaded.manifest(), loaded.network(), Engine.ONNX, images);
    }

    static CaptchaSolver fromOnnxStream(InputStream in, ImageDecoder images) throws IOException {
        Path file = Files.createTempFile("captcha-model-", ".onnx");
        try {
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return fromOnnxFile(file, Engine.ONNX, images);
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
