package org.captchasolver.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.training.ParameterStore;
import ai.onnx.proto.OnnxMl;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.captchasolver.common.AtomicFiles;
import org.captchasolver.common.Json;
import org.captchasolver.common.Version;
import org.captchasolver.model.ModelBundle;
import org.captchasolver.model.ModelManifest;
import org.captchasolver.model.ModelSpec;

/**
 * Writes a trained network as a standard ONNX model (opset {@value #OPSET}): input {@code images} (batch, channels,
 * height, width) in [0, 1], output {@code probabilities} (batch, steps, classes), the batch dynamic. The graph is
 * rebuilt from the {@link ModelSpec} as {@link org.captchasolver.network.Networks} builds the network, taking the
 * trained layers in order and checking each one's kind and shape, so a drift between the two fails here rather than
 * giving a wrong model. Batch norms become a per-channel multiply and add (their inference form, read off the layer
 * itself), the bidirectional LSTM one ONNX {@code LSTM}, dropout nothing. The bundle's manifest goes into the
 * metadata, so the {@code .onnx} file alone is enough to solve.
 */
public final class OnnxExport {
    /** The ONNX operator set the graph uses. */
    public static final int OPSET = 17;
    private static final int IR_VERSION = 8;

    private final ModelSpec spec;
    private final OnnxGraph g = new OnnxGraph("captcha");
    private final Deque<Block> layers;
    private final NDManager scratch;

    private OnnxExport(ModelSpec spec, Block network, NDManager scratch) {
        this.spec = spec;
        this.layers = new ArrayDeque<>(layersOf(network));
        this.scratch = scratch;
    }

    /**
     * Writes the network as an ONNX model, atomically.
     *
     * @param network  the trained network, as {@link org.captchasolver.network.Networks#build} made it
     * @param manifest what it is; stored in the metadata under {@link ModelBundle#ONNX_MANIFEST_KEY}
     * @param file     where to write, such as a bundle's {@code model.onnx}
     * @throws IllegalStateException when the network is not the one the manifest's spec describes
     * @throws IOException when the file cannot be written
     */
    public static void write(Block network, ModelManifest manifest, Path file) throws IOException {
        byte[] bytes = toModel(network, manifest).toByteArray();
        AtomicFiles.write(file, out -> out.write(bytes));
    }

    /** The ONNX model of a trained network. */
    static OnnxMl.ModelProto toModel(Block network, ModelManifest manifest) {
        NDManager owner = network.getParameters().valueAt(0).getArray().getManager();
        try (NDManager scratch = owner.newSubManager()) {
            OnnxExport export = new OnnxExport(manifest.spec(), network, scratch);
            OnnxMl.GraphProto graph = export.graph();
            OnnxMl.ModelProto.Builder model = OnnxMl.ModelProto.newBuilder()
                    .setIrVersion(IR_VERSION)
                    .setProducerName("captcha-solver")
                    .setProducerVersion(Version.current())
                    .setModelVersion(1)
                    .setDocString("CAPTCHA reader " + manifest.name() + ": images (N,C,H,W) in [0,1] -> probabilities (N,T,classes)")
                    .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                    .setGraph(graph);
            metadata(manifest).forEach((k, v) ->
                    model.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
            return model.build();
        }
    }

    /** What another runtime needs to use the model, key by key, and the whole manifest as JSON. */
    static Map<String, String> metadata(ModelManifest manifest) {
        ModelSpec spec = manifest.spec();
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("alphabet", spec.alphabet());
        meta.put("input_channels", String.valueOf(spec.input().channels()));
        meta.put("input_height", String.valueOf(spec.input().height()));
        meta.put("input_width", String.valueOf(spec.input().width()));
        meta.put("input_range", "0..1, RGB planes (or luminance for 1 channel)");
        meta.put("resampling", spec.input().resampling().name().toLowerCase(java.util.Locale.ROOT));
        meta.put("decoding", spec.architecture().usesCtc()
                ? "ctc: class 0 is the blank, class k is alphabet[k-1]; merge repeats, drop blanks"
                : "positions: one step per character, class 0 ends the text, class k is alphabet[k-1]");
        meta.put("max_length", String.valueOf(spec.maxLength()));
        meta.put("architecture", spec.architecture().id());
        meta.put("version", Version.current());
        try {
            meta.put(ModelBundle.ONNX_MANIFEST_KEY, Json.MAPPER.writeValueAsString(manifest));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a manifest is always JSON", e);
        }
        return meta;
    }

    private OnnxMl.GraphProto graph() {
        String x = g.input(OnnxNames.INPUT, -1, spec.input().channels(), spec.input().height(), spec.input().width());
        String logits = switch (spec.architecture()) {
            case CRNN -> crnn(x);
            case SEED_CNN -> seedCnn(x);
        };
        if (!layers.isEmpty()) {
            throw new IllegalStateException("the network has " + layers.size() + " layers more than its spec describes");
        }
        g.nodeTo(OnnxNames.OUTPUT, "Softmax", Map.of("axis", 2L), logits);
        int steps = spec.architecture().usesCtc() ? spec.sequenceLength() : spec.maxLength();
        g.output(OnnxNames.OUTPUT, -1, steps, spec.classes());
        return g.build();
    }

    private String crnn(String x) {
        if (spec.stem() == ModelSpec.Stem.STRIDED) {
            x = convNormRelu(x, 2);
        } else {
            x = stage(x, 2, 2);
        }
        x = stage(x, 2, 2);
        x = stage(x, 1, 1);
        x = stage(x, 2, 1);
        x = stage(x, 2, 1);
        long features = (long) spec.channels(96) * (spec.input().height() / 16);
        x = g.node("Reshape", Map.of(), x, g.longs("columns", 0, features, -1));
        x = convNormRelu(x, 1);
        if (spec.sequenceHead() == ModelSpec.SequenceHead.CONV) {
            x = convNormRelu(x, 1);
            x = conv(x, next(Convolution.class), 1, null);
            return g.node("Transpose", Map.of("perm", new long[] {0, 2, 1}), x);
        }
        x = g.node("Transpose", Map.of("perm", new long[] {2, 0, 1}), x); // (T, N, F), as ONNX's LSTM takes it
        x = bidirectionalLstm(x);
        return linear(x);
    }

    /** A convolution, the batch norm after it folded into its weights, and ReLU (which ONNX Runtime fuses into it). */
    private String convNormRelu(String x, int stride) {
        Convolution conv = next(Convolution.class);
        float[][] norm = scaleShift(next(BatchNorm.class));
        return relu(conv(x, conv, stride, norm));
    }

    /**
     * Convolution, then max pooling and batch norm with ReLU in the spec's order. A norm after the pooling folds into
     * the convolution too where no channel's scale is negative, since max commutes with a non-decreasing map (and
     * with ReLU): the graph then runs convolution, ReLU, pooling, as {@code InferenceNetwork} does for PyTorch.
     */
    private String stage(String x, int ph, int pw) {
        boolean pools = ph > 1 || pw > 1;
        if (!pools || spec.pooling() == ModelSpec.Pooling.AFTER_ACTIVATION) {
            x = convNormRelu(x, 1);
            return pools ? maxPool(x, ph, pw) : x;
        }
        Convolution conv = next(Convolution.class);
        float[][] norm = scaleShift(next(BatchNorm.class));
        boolean monotone = true;
        for (float scale : norm[0]) {
            monotone &= scale >= 0;
        }
        if (monotone) {
            return maxPool(relu(conv(x, conv, 1, norm)), ph, pw);
        }
        return relu(affine(maxPool(conv(x, conv, 1, null), ph, pw), norm, 4));
    }

    private String seedCnn(String x) {
        for (int s = 0; s < 4; s++) {
            x = norm(relu(conv(x, next(Convolution.class), 1, null)), 4);
            x = norm(relu(conv(x, next(Convolution.class), 1, null)), 4);
            x = maxPool(x, 2, 2);
        }
        x = norm(relu(conv(x, next(Convolution.class), 1, null)), 4);
        x = g.node("Flatten", Map.of("axis", 1L), g.node("GlobalAveragePool", Map.of(), x));
        String[] heads = new String[spec.maxLength()];
        for (int p = 0; p < heads.length; p++) {
            String h = norm(relu(linear(x)), 2);
            h = norm(relu(linear(h)), 2);
            heads[p] = g.node("Unsqueeze", Map.of(), linear(h), g.longs("axis", 1));
        }
        return g.node("Concat", Map.of("axis", 1L), heads);
    }

    /** A convolution with the given stride; {@code norm} (scale, shift per channel), when not null, folded in. */
    private String conv(String x, Convolution conv, int stride, float[][] norm) {
        NDArray weight = param(conv, 0);
        long[] dims = weight.getShape().getShape();
        long[] kernel = Arrays.copyOfRange(dims, 2, dims.length);
        long[] pads = new long[kernel.length * 2];
        long[] strides = new long[kernel.length];
        for (int i = 0; i < kernel.length; i++) {
            pads[i] = kernel[i] / 2;
            pads[i + kernel.length] = kernel[i] / 2;
            strides[i] = stride;
        }
        if (!conv.getStride().equals(new Shape(strides)) || !conv.getPadding().equals(new Shape(Arrays.copyOf(pads, kernel.length)))) {
            throw new IllegalStateException("convolution " + conv + " has stride " + conv.getStride() + " and padding "
                    + conv.getPadding() + ", not what the spec describes");
        }
        float[] w = weight.toFloatArray();
        float[] b = param(conv, 1).toFloatArray();
        if (norm != null) {
            int perFilter = w.length / b.length;
            for (int f = 0; f < b.length; f++) {
                for (int i = 0; i < perFilter; i++) {
                    w[f * perFilter + i] *= norm[0][f];
                }
                b[f] = b[f] * norm[0][f] + norm[1][f];
            }
        }
        return g.node("Conv", Map.of("kernel_shape", kernel, "pads", pads, "strides", strides),
                x, g.floats("conv_w", w, dims), g.floats("conv_b", b, dims[0]));
    }

    /** The next layer, a batch norm, as {@code y = s*x + t} per channel on a tensor of this rank. */
    private String norm(String x, int rank) {
        return affine(x, scaleShift(next(BatchNorm.class)), rank);
    }

    private String affine(String x, float[][] norm, int rank) {
        long[] broadcast = new long[rank - 1]; // (C, 1, ...) lines up with axis 1 of (N, C, ...)
        Arrays.fill(broadcast, 1);
        broadcast[0] = norm[0].length;
        x = g.node("Mul", Map.of(), x, g.floats("norm_scale", norm[0], broadcast));
        return g.node("Add", Map.of(), x, g.floats("norm_shift", norm[1], broadcast));
    }

    /**
     * A batch norm at inference, {@code y = s*x + t} per channel: {s, t}, read off the layer's own outputs for inputs
     * 0 and 1, whatever its epsilon.
     */
    private float[][] scaleShift(BatchNorm norm) {
        long channels = param(norm, 0).getShape().get(0);
        Shape probe = new Shape(1, channels);
        ParameterStore store = new ParameterStore(scratch, false);
        NDArray t = norm.forward(store, new NDList(scratch.zeros(probe)), false).singletonOrThrow();
        NDArray s = norm.forward(store, new NDList(scratch.ones(probe)), false).singletonOrThrow().sub(t);
        return new float[][] {s.toFloatArray(), t.toFloatArray()};
    }

    private String relu(String x) {
        return g.node("Relu", Map.of(), x);
    }

    private String maxPool(String x, int ph, int pw) {
        long[] k = {ph, pw};
        return g.node("MaxPool", Map.of("kernel_shape", k, "strides", k), x);
    }

    /** {@code x W^T + b} over the last axis, any rank. */
    private String linear(String x) {
        Linear linear = next(Linear.class);
        NDArray w = param(linear, 0);
        long out = w.getShape().get(0);
        long in = w.getShape().get(1);
        String y = g.node("MatMul", Map.of(), x, g.floats("linear_w", w.transpose().toFloatArray(), in, out));
        return g.node("Add", Map.of(), y, g.floats("linear_b", param(linear, 1).toFloatArray(), out));
    }

    /**
     * The forward and backward LSTMs as one bidirectional ONNX {@code LSTM} on (T, N, F), returning (N, T, 2H) with
     * the forward half first, as the network concatenates them. PyTorch orders the gates input, forget, cell, output;
     * ONNX input, output, forget, cell.
     */
    private String bidirectionalLstm(String x) {
        LSTM forward = next(LSTM.class);
        LSTM backward = next(LSTM.class);
        int hidden = (int) param(forward, 1).getShape().get(1);
        int features = (int) param(forward, 0).getShape().get(1);
        float[] w = concat(gates(param(forward, 0), hidden), gates(param(backward, 0), hidden));
        float[] r = concat(gates(param(forward, 1), hidden), gates(param(backward, 1), hidden));
        float[] b = concat(gates(param(forward, 2), hidden), gates(param(forward, 3), hidden),
                gates(param(backward, 2), hidden), gates(param(backward, 3), hidden));
        String y = g.node("LSTM", Map.of("hidden_size", (long) hidden, "direction", "bidirectional"),
                x, g.floats("lstm_w", w, 2, 4L * hidden, features), g.floats("lstm_r", r, 2, 4L * hidden, hidden),
                g.floats("lstm_b", b, 2, 8L * hidden));
        // Y is (T, 2, N, H): to (N, T, 2, H), then the two directions side by side.
        y = g.node("Transpose", Map.of("perm", new long[] {2, 0, 1, 3}), y);
        return g.node("Reshape", Map.of(), y, g.longs("steps", 0, 0, 2L * hidden));
    }

    /** A PyTorch LSTM weight or bias, (4H, ...) in i, f, g, o order, rearranged to ONNX's i, o, f, c. */
    private static float[] gates(NDArray a, int hidden) {
        float[] v = a.toFloatArray();
        int block = v.length / 4;
        float[] out = new float[v.length];
        int[] from = {0, 3, 1, 2};
        for (int i = 0; i < 4; i++) {
            System.arraycopy(v, from[i] * block, out, i * block, block);
        }
        return out;
    }

    private static float[] concat(float[]... parts) {
        int n = 0;
        for (float[] p : parts) {
            n += p.length;
        }
        float[] out = new float[n];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private <T extends Block> T next(Class<T> kind) {
        Block b = layers.poll();
        if (!kind.isInstance(b)) {
            throw new IllegalStateException("expected a " + kind.getSimpleName() + " layer where the network has "
                    + (b == null ? "no more layers" : b.getClass().getSimpleName()) + ": the network is not the one its spec describes");
        }
        return kind.cast(b);
    }

    private static NDArray param(Block b, int i) {
        List<Parameter> ps = b.getDirectParameters().values();
        return ps.get(i).getArray();
    }

    /** The layers that hold weights, in the order the network runs them. */
    private static List<Block> layersOf(Block b) {
        List<Block> out = new ArrayList<>();
        if (!b.getDirectParameters().isEmpty()) {
            out.add(b);
        }
        for (Block child : b.getChildren().values()) {
            out.addAll(layersOf(child));
        }
        return out;
    }
}
