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

    /**
     * Reads weights into an initialised block and checks that every parameter has the shape the block
     * expects: DJL takes the shapes from the file, so weights of another network (another alphabet, say)
     * would load and fail later with an index out of bounds.
     *
     * @throws CaptchaException naming the file and what does not fit, when it is truncated, corrupt or for another network
     */
    public static void readParams(Block block, NDManager manager, Path file) throws IOException {
        List<Parameter> params = block.getParameters().values();
        List<Shape> expected = params.stream().map(p -> p.isInitialized() ? p.getArray().getShape() : null).toList();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            block.loadParameters(manager, new DataInputStream(in));
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
     * Checks {@code model.params} against the checksum {@code model.json} recorded (bundles without one pass).
     *
     * @throws CaptchaException naming the file when it was changed or damaged since it was written
     */
    public static void verifyParams(Path dir, ModelManifest manifest) throws IOException {
        if (manifest.paramsSha256() == null) {
            return;
        }
        Path params = dir.resolve(PARAMS);
        String actual = sha256(params);
        if (!actual.equals(manifest.paramsSha256())) {
            throw new CaptchaException(params + " is not the file " + MANIFEST + " was written with (SHA-256 " + actual
                    + ", recorded " + manifest.paramsSha256() + "): it was changed or damaged; restore it or retrain");
        }
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return java.util.HexFormat.of().formatHex(digest.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
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
        AtomicFiles.writeJson(dir.resolve(MANIFEST), manifest.withParamsSha256(sha256(dir.resolve(PARAMS))));
    }

    public static ModelManifest readManifest(Path dir) {
        Path json = dir.resolve(MANIFEST);
        if (!Files.isDirectory(dir)) {
            throw new CaptchaException(dir + " is not a folder: a model is the run folder that training wrote");
        }
        if (!Files.isRegularFile(json)) {
            throw new CaptchaException(dir + " has no " + MANIFEST + ": a model is the run folder that training wrote");
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

    /** Largest file a zipped bundle may unpack to: far above any model here, far below a zip bomb's output. */
    static final long MAX_UNPACKED = 1L << 30;

    /**
     * Unpacks a zipped bundle: {@code model.json} and {@code model.params}, at the top of the zip or in one folder
     * of it (as zipping a run folder makes them). Nothing else is written, whatever the zip holds.
     *
     * @throws CaptchaException when the zip lacks either file, holds either twice, or unpacks past 1 GB
     */
    public static void unpack(InputStream zip, Path dir) throws IOException {
        Files.createDirectories(dir);
        java.util.Set<String> found = new java.util.HashSet<>();
        try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(new BufferedInputStream(zip, 1 << 16))) {
            for (java.util.zip.ZipEntry e; (e = in.getNextEntry()) != null; ) {
                String name = e.getName().substring(e.getName().lastIndexOf('/') + 1);
                if (e.isDirectory() || !(name.equals(MANIFEST) || name.equals(PARAMS))) {
                    continue;
                }
                if (!found.add(name)) {
                    throw new CaptchaException("the zipped model holds " + name + " twice: zip one run folder");
                }
                long written = 0;
                try (java.io.OutputStream out = Files.newOutputStream(dir.resolve(name))) {
                    byte[] buffer = new byte[1 << 16];
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        written += n;
                        if (written > MAX_UNPACKED) {
                            throw new CaptchaException("the zipped model's " + name + " unpacks past 1 GB: not a model");
                        }
                        out.write(buffer, 0, n);
                    }
                }
            }
        }
        for (String needed : List.of(MANIFEST, PARAMS)) {
            if (!found.contains(needed)) {
                throw new CaptchaException("the zipped model has no " + needed + ": zip the run folder that training wrote");
            }
        }
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
