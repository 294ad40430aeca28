package org.captchasolver.solve;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.captchasolver.model.ModelBundle;

/** What runs a model's network when it solves. */
public enum Engine {
    /**
     * ONNX Runtime when the bundle has {@code model.onnx} (or is an {@code .onnx} file), otherwise PyTorch: the
     * default, since ONNX Runtime solves faster and needs no PyTorch (docs/performance.md, "Engines").
     */
    AUTO,
    /** ONNX Runtime on {@code model.onnx}: part of this library, on Linux, macOS and Windows. */
    ONNX,
    /** PyTorch on {@code model.params}, as training ran it: needs {@code captcha-core} on the class path. */
    PYTORCH;

    /**
     * The engine that runs {@code model} (a bundle folder or an {@code .onnx} file): this one, or for {@link #AUTO}
     * ONNX Runtime when there is an ONNX model, else PyTorch.
     */
    public Engine resolve(Path model) {
        if (this != AUTO) {
            return this;
        }
        boolean onnx = Files.isRegularFile(model)
                ? model.toString().toLowerCase(Locale.ROOT).endsWith(".onnx")
                : Files.isRegularFile(model.resolve(ModelBundle.ONNX));
        return onnx ? ONNX : PYTORCH;
    }

    /** The command line's name: {@code auto}, {@code onnx} or {@code pytorch}. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
