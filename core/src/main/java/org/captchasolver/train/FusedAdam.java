package org.captchasolver.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.captchasolver.common.AtomicFiles;
import org.captchasolver.common.CaptchaException;

/**
 * Adam, or AdamW with a weight decay, as one pass of Java loops over the parameters' and gradients'
 * own memory. DJL's Adam costs several PyTorch operators per parameter, each with its JNI call,
 * dispatch and temporaries: 4% of a crnn step for arithmetic worth a fraction of that
 * (docs/performance.md, "Training"). The same arithmetic as DJL's (bias-corrected step size, epsilon
 * added to the root of the second moment; AdamW shrinks each weight by {@code lr x decay},
 * independently of the gradient), except that gradients are clipped on both sides where DJL clamps
 * only their maximum. Gradients are zeroed after use: the next backward pass accumulates into them.
 */
public final class FusedAdam {
    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPSILON = 1e-8f;
    private static final int STATE_MAGIC = 0x4144414d; // "ADAM"
    private static final int STATE_VERSION = 1;
    private static final int CHUNK = 16_384;

    private final List<Parameter> parameters = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private final float[][] mean;
    private final float[][] variance;
    private final Tracker learningRate;
    private final float clip;
    private final float weightDecay;
    private final float[] weights;
    private final float[] grads;
    private final float[] zeros;
    private int steps;

    /**
     * @param clip        gradients are clamped to {@code [-clip, clip]} element-wise
     * @param weightDecay 0 for Adam; above 0, AdamW's decoupled decay
     */
    public FusedAdam(Block block, Tracker learningRate, float clip, float weightDecay) {
        int largest = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().requiresGradient()) {
                parameters.add(p.getValue());
                names.add(p.getKey());
                largest = Math.max(largest, Math.toIntExact(p.getValue().getArray().size()));
            }
        }
        this.mean = new float[parameters.size()][];
        this.variance = new float[parameters.size()][];
        for (int i = 0; i < parameters.size(); i++) {
            int n = Math.toIntExact(parameters.get(i).getArray().size());
            mean[i] = new float[n];
            variance[i] = new float[n];
        }
        this.learningRate = learningRate;
        this.clip = clip;
        this.weightDecay = weightDecay;
        this.weights = new float[largest];
        this.grads = new float[largest];
        this.zeros = new float[largest];
    }

    /** Updates every parameter from its gradient, then zeroes the gradients. */
    public void step() {
        steps++;
        float lr = learningRate.getNewValue(steps);
        float corrected = (float) (lr * Math.sqrt(1 - Math.pow(BETA2, steps)) / (1 - Math.pow(BETA1, steps)));
        float shrink = 1 - lr * weightDecay;
        for (int i = 0; i < parameters.size(); i++) {
            NDArray weight = parameters.get(i).getArray();
            if (!weight.hasGradient()) {
                throw new IllegalStateException("parameter " + parameters.get(i).getName()
                        + " records no gradient: its array was replaced (load weights with Weights.readParamsInPlace)");
            }
            try (NDArray grad = weight.getGradient()) {
                FloatBuffer w = ParameterMemory.of(weight);
                FloatBuffer g = ParameterMemory.of(grad);
                int n = mean[i].length;
                w.get(0, weights, 0, n);
                g.get(0, grads, 0, n);
                update(weights, grads, mean[i], variance[i], n, corrected, shrink);
                w.put(0, weights, 0, n);
                g.put(0, zeros, 0, n);
            }
        }
    }

    private void update(float[] w, float[] g, float[] m, float[] v, int n, float corrected, float shrink) {
        float c = clip;
        for (int k = 0; k < n; k++) {
            float gk = Math.max(-c, Math.min(c, g[k]));
            float mk = BETA1 * m[k] + (1 - BETA1) * gk;
            float vk = BETA2 * v[k] + (1 - BETA2) * gk * gk;
            m[k] = mk;
            v[k] = vk;
            w[k] = w[k] * shrink - corrected * mk / ((float) Math.sqrt(vk) + EPSILON);
        }
    }

    /**
     * Writes the step count and both moment estimates beside a checkpoint's weights. Without them a
     * resumed run starts Adam from zero moments and a bias correction of step 1: every weight moves by
     * about the full learning rate in the first steps, which undid a converging run (docs/decisions.md).
     */
    public void writeState(Path file) throws IOException {
        AtomicFiles.write(file, stream -> {
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(stream, 1 << 16));
            out.writeInt(STATE_MAGIC);
            out.writeInt(STATE_VERSION);
            out.writeInt(steps);
            out.writeInt(parameters.size());
            for (int i = 0; i < parameters.size(); i++) {
                out.writeUTF(names.get(i));
                out.writeInt(mean[i].length);
                writeFloats(out, mean[i]);
                writeFloats(out, variance[i]);
            }
            out.flush();
        });
    }

    /** Continues from a state {@link #writeState} wrote for the same network; refuses one written for another. */
    public void readState(Path file) throws IOException {
        try (InputStream stream = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new BufferedInputStream(stream, 1 << 16))) {
            if (in.readInt() != STATE_MAGIC || in.readInt() != STATE_VERSION) {
                throw refused(file, "is not an optimizer state written by this version");
            }
            int savedSteps = in.readInt();
            int count = in.readInt();
            if (count != parameters.size()) {
                throw refused(file, "holds " + count + " parameters, the network has " + parameters.size());
            }
            for (int i = 0; i < count; i++) {
                String name = in.readUTF();
                int n = in.readInt();
                if (!name.equals(names.get(i)) || n != mean[i].length) {
                    throw refused(file, "holds " + name + " (" + n + " values) where the network has "
                            + names.get(i) + " (" + mean[i].length + ")");
                }
                readFloats(in, mean[i]);
                readFloats(in, variance[i]);
            }
            steps = savedSteps;
        } catch (EOFException e) {
            throw refused(file, "is truncated");
        }
    }

    private static CaptchaException refused(Path file, String why) {
        return new CaptchaException(file + " " + why + ": delete it to resume with Adam's moments restarted");
    }

    /** Through a small buffer: a whole parameter's bytes at once would grow the heap by its size. */
    private static void writeFloats(DataOutputStream out, float[] values) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(CHUNK * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int from = 0; from < values.length; from += CHUNK) {
            int n = Math.min(CHUNK, values.length - from);
            bytes.clear();
            bytes.asFloatBuffer().put(values, from, n);
            out.write(bytes.array(), 0, n * Float.BYTES);
        }
    }

    private static void readFloats(DataInputStream in, float[] values) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(CHUNK * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int from = 0; from < values.length; from += CHUNK) {
            int n = Math.min(CHUNK, values.length - from);
            in.readFully(bytes.array(), 0, n * Float.BYTES);
            bytes.asFloatBuffer().get(values, from, n);
        }
    }
}
