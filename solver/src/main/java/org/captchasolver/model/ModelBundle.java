package org.captchasolver.model;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.captchasolver.common.CaptchaException;
import org.captchasolver.common.Json;

/**
 * The files of a model bundle: a folder with {@code model.json} (what the model is) and the network's weights, as
 * {@code model.onnx} (read by ONNX Runtime) and/or {@code model.params} (read by PyTorch, and what training resumes
 * from). This class reads and checks the manifest and unpacks zipped bundles; the weights are read by the engines.
 */
public final class ModelBundle {
    /** What the model is: {@link ModelManifest} as JSON. */
    public static final String MANIFEST = "model.json";
    /** The PyTorch weights that training writes. */
    public static final String PARAMS = "model.params";
    /** The network as an ONNX model, with the manifest in its metadata. */
    public static final String ONNX = "model.onnx";
    /** The ONNX metadata key that holds the bundle's {@code model.json}. */
    public static final String ONNX_MANIFEST_KEY = "captcha.manifest";

    private ModelBundle() {}

    /**
     * Checks a weights file against the checksum {@code model.json} recorded for it; a null checksum (bundles written
     * before it was recorded) passes.
     *
     * @param file     {@link #PARAMS} or {@link #ONNX} in the bundle
     * @param recorded the checksum the manifest holds for it
     * @throws CaptchaException naming the file when it was changed or damaged since it was written
     * @throws IOException when it cannot be read
     */
    public static void verify(Path file, String recorded) throws IOException {
        if (recorded == null) {
            return;
        }
        String actual = sha256(file);
        if (!actual.equals(recorded)) {
            throw new CaptchaException(file + " is not the file " + MANIFEST + " was written with (SHA-256 " + actual
                    + ", recorded " + recorded + "): it was changed or damaged; restore it or retrain");
        }
    }

    /**
     * A file of the bundle that an engine needs.
     *
     * @throws CaptchaException naming the folder when the file is missing, with {@code remedy} as what to do
     */
    public static Path require(Path dir, String name, String remedy) {
        Path file = dir.resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new CaptchaException(dir + " has no " + name + ": " + remedy);
        }
        return file;
    }

    /** The file's SHA-256, in lowercase hex. */
    public static String sha256(Path file) throws IOException {
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
     * Reads and checks a bundle folder's {@code model.json}.
     *
     * @throws CaptchaException naming the folder or file when it is not a bundle, is incomplete, or is of a newer format
     */
    public static ModelManifest readManifest(Path dir) {
        Path json = dir.resolve(MANIFEST);
        if (!Files.exists(dir)) {
            throw new CaptchaException(dir + " does not exist: a model is a run folder that training wrote, a zip of one, "
                    + "or its " + ONNX);
        }
        if (!Files.isDirectory(dir)) {
            throw new CaptchaException(dir + " is not a folder: a model is a run folder that training wrote, a zip of one "
                    + "(.zip), or its " + ONNX + " (.onnx)");
        }
        if (!Files.isRegularFile(json)) {
            throw new CaptchaException(dir + " has no " + MANIFEST + ": a model is the run folder that training wrote");
        }
        ModelManifest m = check(json, Json.read(json, ModelManifest.class));
        if (!Files.isRegularFile(dir.resolve(PARAMS)) && !Files.isRegularFile(dir.resolve(ONNX))) {
            throw new CaptchaException(dir + " has neither " + PARAMS + " nor " + ONNX + ": the bundle is incomplete, retrain it");
        }
        return m;
    }

    /**
     * Checks a manifest read from {@code source}: of this version's format, and complete.
     *
     * @return the manifest
     * @throws CaptchaException naming {@code source} when it is of another format or has no network description
     */
    public static ModelManifest check(Object source, ModelManifest m) {
        if (m.formatVersion() != ModelManifest.FORMAT_VERSION) {
            throw new CaptchaException(source + " is model format " + m.formatVersion() + " (made by " + m.producer()
                    + "); this version reads format " + ModelManifest.FORMAT_VERSION + ": retrain, or use the matching version");
        }
        if (m.spec() == null) {
            throw new CaptchaException(source + " has no 'spec': the bundle is incomplete, retrain it");
        }
        return m;
    }

    /** Largest file a zipped bundle may unpack to: far above any model here, far below a zip bomb's output. */
    static final long MAX_UNPACKED = 1L << 30;

    /**
     * Unpacks a zipped bundle: {@code model.json} with {@code model.onnx} and/or {@code model.params}, at the top of the zip or in one folder
     * of it (as zipping a run folder makes them). Nothing else is written, whatever the zip holds.
     *
     * @throws CaptchaException when the zip lacks the manifest or weights, holds a file twice, or unpacks past 1 GB
     * @throws IOException when the stream fails or the folder cannot be written
     */
    public static void unpack(InputStream zip, Path dir) throws IOException {
        Files.createDirectories(dir);
        java.util.Set<String> found = new java.util.HashSet<>();
        try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(new BufferedInputStream(zip, 1 << 16))) {
            for (java.util.zip.ZipEntry e; (e = in.getNextEntry()) != null; ) {
                String name = e.getName().substring(e.getName().lastIndexOf('/') + 1);
                if (e.isDirectory() || !(name.equals(MANIFEST) || name.equals(PARAMS) || name.equals(ONNX))) {
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
        if (!found.contains(MANIFEST) || !(found.contains(PARAMS) || found.contains(ONNX))) {
            throw new CaptchaException("the zipped model has no " + (found.contains(MANIFEST) ? ONNX + " or " + PARAMS : MANIFEST)
                    + ": zip the run folder that training wrote");
        }
    }
}
