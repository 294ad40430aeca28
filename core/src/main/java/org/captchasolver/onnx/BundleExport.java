package org.captchasolver.onnx;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.captchasolver.common.AtomicFiles;
import org.captchasolver.common.CaptchaException;
import org.captchasolver.model.ModelBundle;
import org.captchasolver.model.ModelManifest;
import org.captchasolver.network.CaptchaModel;
import org.captchasolver.network.Engines;
import org.captchasolver.network.Weights;
import org.captchasolver.onnxruntime.OnnxRuntimeNetwork;

/** Exports a bundle's PyTorch weights to ONNX, checks the result against PyTorch, and records it in the bundle. */
public final class BundleExport {
    /** Largest difference in any probability between the engines that an export may show on its check batch. */
    public static final double TOLERANCE = 1e-4;

    private BundleExport() {}

    /**
     * What an export wrote.
     *
     * @param file              the ONNX model
     * @param bytes             its size
     * @param maxDifference     the largest probability difference between ONNX Runtime and PyTorch on the check batch
     * @param bundleUpdated     whether the bundle's {@code model.json} now records the file
     */
    public record Result(Path file, long bytes, double maxDifference, boolean bundleUpdated) {}

    /**
     * Writes {@code out} from the bundle's {@code model.params}, then runs both engines on a batch of random images
     * and compares. When {@code out} is the bundle's own {@code model.onnx}, its checksum goes into {@code model.json}
     * (the manifest is rewritten atomically, after the ONNX file is complete).
     *
     * @param dir a bundle folder with {@code model.params}
     * @param out where to write; null for the bundle's {@code model.onnx}
     * @throws CaptchaException naming the file when the bundle is unusable, or when the engines disagree
     * @throws IOException when a file cannot be read or written
     */
    public static Result export(Path dir, Path out) throws IOException {
        ModelManifest manifest = ModelBundle.readManifest(dir);
        Path params = ModelBundle.require(dir, ModelBundle.PARAMS, "export needs the PyTorch weights training wrote");
        ModelBundle.verify(params, manifest.paramsSha256());
        Path target = out != null ? out : dir.resolve(ModelBundle.ONNX);
        Engines.pytorch();
        try (Model model = Model.newInstance("export", "PyTorch")) {
            Block block = Weights.newBlock(manifest.spec(), model.getNDManager());
            Weights.readParams(block, model.getNDManager(), params);
            OnnxExport.write(block, manifest.withParamsSha256(null).withOnnxSha256(null), target);
        }
        double diff = compare(dir, target, manifest);
        if (diff > TOLERANCE) {
            throw new CaptchaException(target + " disagrees with " + params + " by " + diff + " in a probability "
                    + "(more than " + TOLERANCE + "): the export is wrong; please report it");
        }
        boolean own = target.toAbsolutePath().normalize().equals(dir.resolve(ModelBundle.ONNX).toAbsolutePath().normalize());
        if (own) {
            AtomicFiles.writeJson(dir.resolve(ModelBundle.MANIFEST), manifest.withOnnxSha256(ModelBundle.sha256(target)));
        }
        return new Result(target, Files.size(target), diff, own);
    }

    /** The largest probability difference between the engines on 8 images of random pixels (seeded). */
    static double compare(Path dir, Path onnx, ModelManifest manifest) throws IOException {
        int n = 8;
        float[] pixels = new float[n * manifest.spec().input().size()];
        Random random = new Random(42);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = random.nextFloat();
        }
        try (CaptchaModel pytorch = CaptchaModel.load(dir);
             NDManager scope = pytorch.newScope();
             OnnxRuntimeNetwork ort = OnnxRuntimeNetwork.open(onnx, manifest).network()) {
            float[] a = pytorch.probabilities(scope, pixels, n).toFloatArray();
            float[] b = ort.probabilities(pixels, n);
            double max = 0;
            for (int i = 0; i < a.length; i++) {
                max = Math.max(max, Math.abs(a[i] - b[i]));
            }
            return a.length == b.length ? max : Double.POSITIVE_INFINITY;
        }
    }
}
