package org.captchasolver.onnxruntime;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.captchasolver.common.CaptchaException;
import org.captchasolver.common.Json;
import org.captchasolver.image.InputShape;
import org.captchasolver.model.ModelBundle;
import org.captchasolver.model.ModelManifest;
import org.captchasolver.solve.spi.Network;

/**
 * A network run by ONNX Runtime. {@link OrtSession#run} may be called from many threads at once, so one session
 * serves every caller.
 */
public final class OnnxRuntimeNetwork implements Network {
    /** The graph's input: images (batch, channels, height, width). */
    public static final String INPUT = "images";
    /** The graph's output: softmax probabilities (batch, steps, classes). */
    public static final String OUTPUT = "probabilities";

    private final OrtEnvironment env;
    private final OrtSession session;
    private final long[] imageShape;

    private OnnxRuntimeNetwork(OrtEnvironment env, OrtSession session, InputShape input) {
        this.env = env;
        this.session = session;
        this.imageShape = new long[] {input.channels(), input.height(), input.width()};
    }

    /**
     * Opens an ONNX model and checks that it takes the input its manifest describes.
     *
     * @param file     the {@code .onnx} file
     * @param manifest what it is; null to read it from the file's metadata
     * @return the network and its manifest
     * @throws CaptchaException naming the file when it is not an ONNX model, or not one of ours
     */
    public static Loaded open(Path file, ModelManifest manifest) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session;
        try (OrtSession.SessionOptions options = SessionSettings.current().options()) {
            session = env.createSession(file.toString(), options);
        } catch (OrtException e) {
            throw new CaptchaException(file + " is not an ONNX model ONNX Runtime can run: " + firstLine(e), e);
        }
        try {
            ModelManifest m = manifest != null ? manifest : manifestOf(file, session);
            checkInput(file, session, m.spec().input());
            return new Loaded(new OnnxRuntimeNetwork(env, session, m.spec().input()), m);
        } catch (RuntimeException | OrtException e) {
            closeQuietly(session);
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new CaptchaException(file + ": " + firstLine(e), e);
        }
    }

    /** A network with the manifest it was opened with. */
    public record Loaded(OnnxRuntimeNetwork network, ModelManifest manifest) {}

    private static ModelManifest manifestOf(Path file, OrtSession session) throws OrtException {
        Map<String, String> meta = session.getMetadata().getCustomMetadata();
        String json = meta.get(ModelBundle.ONNX_MANIFEST_KEY);
        if (json == null) {
            throw new CaptchaException(file + " has no '" + ModelBundle.ONNX_MANIFEST_KEY + "' metadata: it was not "
                    + "exported by captcha-solver, so its alphabet and input are unknown");
        }
        try {
            return ModelBundle.check(file, Json.MAPPER.readValue(json, ModelManifest.class));
        } catch (java.io.IOException e) {
            throw new CaptchaException(file + ": its '" + ModelBundle.ONNX_MANIFEST_KEY + "' metadata is not a model "
                    + "manifest: " + firstLine(e), e);
        }
    }

    private static void checkInput(Path file, OrtSession session, InputShape input) throws OrtException {
        NodeInfo in = session.getInputInfo().get(INPUT);
        if (in == null || !(in.getInfo() instanceof TensorInfo tensor) || !session.getOutputNames().contains(OUTPUT)) {
            throw new CaptchaException(file + " does not take '" + INPUT + "' and give '" + OUTPUT + "': not a model "
                    + "exported by captcha-solver");
        }
        long[] shape = tensor.getShape();
        long[] expected = {input.channels(), input.height(), input.width()};
        if (shape.length != 4 || !Arrays.equals(Arrays.copyOfRange(shape, 1, 4), expected)) {
            throw new CaptchaException(file + " takes images of shape " + Arrays.toString(shape) + " where its manifest "
                    + "describes " + input.text() + ": the files belong to different models");
        }
    }

    @Override
    public float[] probabilities(float[] pixels, int n) {
        long[] shape = {n, imageShape[0], imageShape[1], imageShape[2]};
        try (OnnxTensor images = OnnxTensor.createTensor(env, FloatBuffer.wrap(pixels, 0, n * (int) (shape[1] * shape[2] * shape[3])), shape);
             OrtSession.Result result = session.run(Map.of(INPUT, images))) {
            FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
            float[] probs = new float[out.remaining()];
            out.get(probs);
            return probs;
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed to run the model: " + firstLine(e), e);
        }
    }

    @Override
    public void close() {
        closeQuietly(session);
    }

    private static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException e) {
            // nothing more to free
        }
    }

    private static String firstLine(Exception e) {
        return String.valueOf(e.getMessage()).lines().findFirst().orElse("");
    }
}
