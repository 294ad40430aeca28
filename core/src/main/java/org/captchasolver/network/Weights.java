package org.captchasolver.network;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.captchasolver.common.AtomicFiles;
import org.captchasolver.common.CaptchaException;
import org.captchasolver.model.ModelBundle;
import org.captchasolver.model.ModelManifest;
import org.captchasolver.model.ModelSpec;
import org.captchasolver.onnx.OnnxExport;

/** Reads and writes a network's weights ({@code model.params}) and saves whole bundles. */
public final class Weights {
    private static final String MANIFEST = ModelBundle.MANIFEST;

    private Weights() {}

    public static void writeParams(Block block, Path file) throws IOException {
        AtomicFiles.write(file, out -> {
            DataOutputStream data = new DataOutputStream(new BufferedOutputStream(out, 1 << 16));
            block.saveParameters(data);
            data.flush();
        });
    }

    /**
     * Reads weights into an initialised block and checks that every parameter has the shape the block
     * expects: DJL takes the shapes from the file, so weights of another network (another alphabet, say)
     * would load and fail later with an index out of bounds.
     *
     * @throws CaptchaException naming the file and what does not fit, when it is truncated, corrupt or for another network
     */
    public static void readParams(Block block, NDManager manager, Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            readParams(block, manager, in, file.toString());
        }
    }

    /**
     * {@link #readParams(Block, NDManager, Path)} from a stream, which is read to the block's end and not closed.
     *
     * @param source names the weights in messages
     * @throws CaptchaException naming {@code source} when the weights are truncated, corrupt or for another network
     */
    public static void readParams(Block block, NDManager manager, InputStream stream, String source) throws IOException {
        List<Parameter> params = block.getParameters().values();
        List<Shape> expected = params.stream().map(p -> p.isInitialized() ? p.getArray().getShape() : null).toList();
        Object file = source;
        try {
            block.loadParameters(manager, new DataInputStream(new BufferedInputStream(stream, 1 << 16)));
        } catch (java.io.EOFException e) {
            throw new CaptchaException(file + " is truncated: restore it or retrain the model", e);
        } catch (MalformedModelException | RuntimeException e) {
            throw new CaptchaException(file + " does not match the network in " + MANIFEST + ": " + e.getMessage(), e);
        }
        for (int i = 0; i < params.size(); i++) {
            Shape actual = params.get(i).getArray().getShape();
            if (expected.get(i) != null && !expected.get(i).equals(actual)) {
                throw new CaptchaException(file + " holds " + params.get(i).getName() + " of shape " + actual + " where "
                        + MANIFEST + " describes " + expected.get(i) + ": the weights belong to another network "
                        + "(was the alphabet or the input changed?)");
            }
        }
    }

    /**
     * Reads weights into the block's own arrays. DJL's loading gives each parameter a new array, while
     * a trainer goes on using the arrays it was initialised with (its parameter store holds them): a
     * run resumed that way trained fresh random weights and checkpointed the loaded ones unchanged.
     */
    public static void readParamsInPlace(Block block, ModelSpec spec, Path file) throws IOException {
        try (NDManager scratch = block.getParameters().valueAt(0).getArray().getManager().newSubManager()) {
            Block loaded = newBlock(spec, scratch);
            readParams(loaded, scratch, file);
            List<Parameter> live = block.getParameters().values();
            List<Parameter> read = loaded.getParameters().values();
            for (int i = 0; i < live.size(); i++) {
                read.get(i).getArray().copyTo(live.get(i).getArray());
            }
        }
    }

    /**
     * Writes the weights ({@code model.params}), the ONNX model, then the manifest with both checksums: a bundle with
     * a manifest always has its weights.
     */
    public static void save(Path dir, ModelManifest manifest, Block block) throws IOException {
        Files.createDirectories(dir);
        Path params = dir.resolve(ModelBundle.PARAMS);
        Path onnx = dir.resolve(ModelBundle.ONNX);
        writeParams(block, params);
        OnnxExport.write(block, manifest.withParamsSha256(null).withOnnxSha256(null), onnx);
        AtomicFiles.writeJson(dir.resolve(MANIFEST),
                manifest.withParamsSha256(ModelBundle.sha256(params)).withOnnxSha256(ModelBundle.sha256(onnx)));
    }

    /** A fresh, initialised network for the spec, its parameters owned by {@code manager}. */
    public static Block newBlock(ModelSpec spec, NDManager manager) {
        Block block = Networks.build(spec);
        block.initialize(manager, DataType.FLOAT32, inputShape(spec, 1));
        return block;
    }

    public static Shape inputShape(ModelSpec spec, int batch) {
        return new Shape(batch, spec.input().channels(), spec.input().height(), spec.input().width());
    }
}
