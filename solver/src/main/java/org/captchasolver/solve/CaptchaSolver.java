package org.captchasolver.solve;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.captchasolver.common.CaptchaException;
import org.captchasolver.image.ImageDecoder;
import org.captchasolver.image.ImageRejectedException;
import org.captchasolver.image.ImageTensors;
import org.captchasolver.image.InputShape;
import org.captchasolver.model.Decoder;
import org.captchasolver.model.ModelManifest;
import org.captchasolver.model.Prediction;
import org.captchasolver.solve.spi.Network;

/**
 * Solves CAPTCHAs with a trained model.
 *
 * <pre>{@code
 * try (CaptchaSolver solver = CaptchaSolver.load(Path.of("runs/mine"))) {
 *     Solution s = solver.solve(Path.of("captcha.png"));
 *     System.out.println(s.text() + " " + s.confidence());
 * }
 * }</pre>
 *
 * A model is the run folder that training wrote, that folder zipped, or its {@code model.onnx} alone; it runs on ONNX
 * Runtime, or on PyTorch when {@code captcha-core} is on the class path and {@link Engine#PYTORCH} is asked for.
 * Thread-safe: any number of threads may share one solver. Close it to free its native memory.
 */
public final class CaptchaSolver implements AutoCloseable {
    /** Images per forward pass in {@link #solveAll}. */
    public static final int BATCH = 64;

    private final ModelManifest manifest;
    private final Network network;
    private final Engine engine;
    private final ImageDecoder decoder;

    CaptchaSolver(ModelManifest manifest, Network network, Engine engine, ImageDecoder decoder) {
        this.manifest = manifest;
        this.network = network;
        this.engine = engine;
        this.decoder = decoder;
    }

    /**
     * Loads a trained model on the default engine ({@link Engine#AUTO}): the run folder that training wrote, that
     * folder zipped ({@code .zip}), or an exported {@code .onnx} file.
     *
     * @param model the model folder, a zip of it, or an {@code .onnx} file
     * @return a solver that accepts images up to 25 megapixels
     * @throws CaptchaException naming the file, when it is not a model, its format is newer than this version, or its
     *                          weights are damaged
     * @throws IOException when a file of the model cannot be read
     */
    public static CaptchaSolver load(Path model) throws IOException {
        return load(model, Engine.AUTO, ImageDecoder.DEFAULT_MAX_PIXELS);
    }

    /**
     * Same, refusing images with more than {@code maxPixels} pixels, read from their header before decoding.
     *
     * @throws CaptchaException as {@link #load(Path)}
     * @throws IOException as {@link #load(Path)}
     */
    public static CaptchaSolver load(Path model, long maxPixels) throws IOException {
        return load(model, Engine.AUTO, maxPixels);
    }

    /**
     * Loads a model on a chosen engine, refusing images with more than {@code maxPixels} pixels.
     *
     * @param model     the model folder, a zip of it, or an {@code .onnx} file (which only {@link Engine#ONNX} and
     *                  {@link Engine#AUTO} read)
     * @param engine    what runs the network
     * @param maxPixels the largest image, in pixels, that the solver decodes
     * @throws CaptchaException as {@link #load(Path)}, or when the engine cannot run this model or is not on the
     *                          class path
     * @throws IOException as {@link #load(Path)}
     */
    public static CaptchaSolver load(Path model, Engine engine, long maxPixels) throws IOException {
        String name = model.getFileName() == null ? "" : model.getFileName().toString().toLowerCase(Locale.ROOT);
        ImageDecoder images = new ImageDecoder(maxPixels);
        if (Files.isRegularFile(model) && name.endsWith(".zip")) {
            try (InputStream in = Files.newInputStream(model)) {
                return ModelLoading.fromZip(in, engine, images);
            }
        }
        if (Files.isRegularFile(model) && name.endsWith(".onnx")) {
            return ModelLoading.fromOnnxFile(model, engine, images);
        }
        return ModelLoading.fromFolder(model, engine, images);
    }

    /**
     * Loads a zipped model from a stream (which is read to its end, not closed): a run folder zipped, so that a
     * service can ship its model inside its own jar.
     *
     * @throws CaptchaException when the zip holds no model, or a damaged one
     * @throws IOException when the stream fails
     */
    public static CaptchaSolver load(InputStream zippedBundle) throws IOException {
        return ModelLoading.fromZip(zippedBundle, Engine.AUTO, ImageDecoder.defaults());
    }

    /**
     * Loads a model from the class path, such as {@code models/mine.zip} or {@code models/mine.onnx} inside the
     * application's jar.
     *
     * @throws CaptchaException when there is no such resource, or it holds no model
     * @throws IOException when it cannot be read
     */
    public static CaptchaSolver loadResource(String name) throws IOException {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try (InputStream in = (loader != null ? loader : CaptchaSolver.class.getClassLoader()).getResourceAsStream(name)) {
            if (in == null) {
                throw new CaptchaException("no resource " + name + " on the class path");
            }
            if (name.toLowerCase(Locale.ROOT).endsWith(".onnx")) {
                return ModelLoading.fromOnnxStream(in, ImageDecoder.defaults());
            }
            return load(in);
        }
    }

    /** The engine that runs this solver's network: {@link Engine#ONNX} or {@link Engine#PYTORCH}. */
    public Engine engine() {
        return engine;
    }

    /** What the model is: architecture, input, alphabet, how it was trained and what it scored. */
    public ModelManifest manifest() {
        return manifest;
    }

    /** The answer for one decoded image, of any size (it is resized as the model was trained). */
    public Solution solve(BufferedImage image) {
        return solveAll(List.of(image)).get(0);
    }

    /**
     * The answer for an image file (PNG, JPEG, BMP or GIF).
     *
     * @throws InvalidImageException naming the file, when it is missing, empty, not an image, corrupt or too large
     * @throws IOException when it cannot be read
     */
    public Solution solve(Path file) throws IOException {
        return solve(decode(file));
    }

    /**
     * The answer for an encoded image.
     *
     * @throws InvalidImageException when the bytes are empty, not an image, corrupt or too large
     */
    public Solution solve(byte[] bytes) {
        return solve(decode(bytes));
    }

    /**
     * The answer for an encoded image read to the end of {@code in} (which is not closed).
     *
     * @throws InvalidImageException when the bytes are not a usable image
     * @throws IOException when the stream fails
     */
    public Solution solve(InputStream in) throws IOException {
        return solve(in.readAllBytes());
    }

    /** Solves in batches of {@value #BATCH}; answers come in the order of the images. */
    public List<Solution> solveAll(List<BufferedImage> images) {
        InputShape shape = manifest.spec().input();
        List<Solution> out = new ArrayList<>(images.size());
        for (int from = 0; from < images.size(); from += BATCH) {
            int n = Math.min(BATCH, images.size() - from);
            float[] pixels = new float[n * shape.size()];
            for (int i = 0; i < n; i++) {
                ImageTensors.toChw(images.get(from + i), shape, pixels, i * shape.size());
            }
            float[] probs = network.probabilities(pixels, n);
            int steps = probs.length / (n * manifest.spec().classes());
            for (Prediction p : Decoder.decode(manifest.spec(), probs, n, steps)) {
                out.add(toSolution(p));
            }
        }
        return out;
    }

    /**
     * Decodes a file with the solver's limits.
     *
     * @throws InvalidImageException naming the file and the reason, when it is not a usable image
     * @throws IOException when it cannot be read
     */
    public BufferedImage decode(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new InvalidImageException(file + ": no such file");
        }
        try {
            return decoder.decode(file).image();
        } catch (ImageRejectedException e) {
            throw new InvalidImageException(file + ": " + describe(e));
        }
    }

    /**
     * Decodes encoded bytes with the solver's limits.
     *
     * @throws InvalidImageException with the reason, when the bytes are not a usable image
     */
    public BufferedImage decode(byte[] bytes) {
        try {
            return decoder.decode(bytes).image();
        } catch (ImageRejectedException e) {
            throw new InvalidImageException(describe(e));
        }
    }

    private static String describe(ImageRejectedException e) {
        return switch (e.kind()) {
            case EMPTY -> "empty image";
            case NOT_AN_IMAGE -> "not an image (PNG, JPEG, BMP or GIF expected)";
            case UNDECODABLE -> "corrupt or truncated image (" + e.getMessage() + ")";
            case TOO_LARGE -> "image too large: " + e.getMessage();
            case UNREADABLE -> "cannot read: " + e.getMessage();
        };
    }

    static Solution toSolution(Prediction p) {
        List<Solution.CharConfidence> chars = new ArrayList<>(p.text().length());
        for (int i = 0; i < p.text().length(); i++) {
            chars.add(new Solution.CharConfidence(String.valueOf(p.text().charAt(i)), p.charConfidences()[i]));
        }
        return new Solution(p.text(), p.confidence(), List.copyOf(chars));
    }

    /** Frees the model's native memory; the solver cannot be used afterwards. */
    @Override
    public void close() {
        network.close();
    }
}
