package org.captchasolver.model;

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
import org.captchasolver.util.AtomicFiles;
import org.captchasolver.util.CaptchaException;
import org.captchasolver.util.Json;

/** Reads and writes model bundles: a folder with {@code model.json} and {@code model.params}. */
public final class ModelBundle {
    public static final String MANIFEST = "model.json";
    public static final String PARAMS = "model.params";

    private ModelBundle() {}

    public static void writeParams(Block block, Path file) throws IOException {
        AtomicFiles.write(file, out -> {
            DataOutputStream data = new DataOutputStream(new BufferedOutputStream(out, 1 << 16));
            block.saveParameters(data);
            data.flush();
        });
    }

    public static void readParams(Block block, NDManager manager, Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            block.loadParameters(manager, new DataInputStream(in));
        } catch (MalformedModelException | RuntimeException e) {
            throw new CaptchaException(file + " does not match the network in " + MANIFEST + ": " + e.getMessage(), e);
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

    /** Writes the weights, then the manifest: a bundle with a manifest always has its weights. */
    public static void save(Path dir, ModelManifest manifest, Block block) throws IOException {
        Files.createDirectories(dir);
        writeParams(block, dir.resolve(PARAMS));
        AtomicFiles.writeJson(dir.resolve(MANIFEST), manifest);
    }

    public static ModelManifest readManifest(Path dir) {
        Path json = dir.resolve(MANIFEST);
        if (!Files.isDirectory(dir)) {
            throw new CaptchaException(dir + " is not a model folder: pass --model with a run folder from 'captcha train'");
        }
        if (!Files.isRegularFile(json)) {
            throw new CaptchaException(dir + " has no " + MANIFEST + ": pass --model with a run folder from 'captcha train'");
        }
        ModelManifest m = Json.read(json, ModelManifest.class);
        if (m.formatVersion() != ModelManifest.FORMAT_VERSION) {
            throw new CaptchaException(json + " is model format " + m.formatVersion() + " (made by " + m.producer()
                    + "); this version reads format " + ModelManifest.FORMAT_VERSION + ": retrain, or use the matching version");
        }
        if (m.spec() == null) {
            throw new CaptchaException(json + " has no 'spec': the bundle is incomplete, retrain it");
        }
        if (!Files.isRegularFile(dir.resolve(PARAMS))) {
            throw new CaptchaException(dir + " has no " + PARAMS + ": the bundle is incomplete, retrain it");
        }
        return m;
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
