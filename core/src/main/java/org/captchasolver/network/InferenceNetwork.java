package org.captchasolver.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import java.util.List;

/**
 * Turns a trained network into a faster one for solving. At inference a batch norm is a fixed
 * per-channel {@code y = s*x + t}, so one that follows a convolution is folded into that
 * convolution's weights and bias, and dropout is the identity; both then leave the forward pass.
 * A max pooling between the two is no obstacle where every {@code s} is at least 0, as max commutes
 * with a non-decreasing map. ReLU also moves after max pooling, for the same reason, and 2-D
 * convolution weights are laid out channels-last like the inputs. For batch-1 solving, where each
 * operator's fixed cost weighs as much as its arithmetic, that is a sizeable part of the latency
 * (docs/performance.md, "Solving").
 */
final class InferenceNetwork {
    private static final String RELU = ((LambdaBlock) Activation.reluBlock()).getName();
    private static final String MAX_POOL = ((LambdaBlock) Pool.maxPool2dBlock(new Shape(2, 2))).getName();

    private InferenceNetwork() {}

    /**
     * The network without the folded batch norms and without dropout. The convolutions are shared
     * with {@code trained} and their weights changed in place, so {@code trained} must not be used
     * afterwards. Only the top-level sequence is rewritten; nested blocks are kept as they are.
     */
    static Block of(Block trained, NDManager manager) {
        if (!(trained instanceof SequentialBlock seq)) {
            return trained;
        }
        List<Block> children = seq.getChildren().values();
        SequentialBlock out = new SequentialBlock();
        for (int i = 0; i < children.size(); i++) {
            Block b = children.get(i);
            Block next = i + 1 < children.size() ? children.get(i + 1) : null;
            Block afterNext = i + 2 < children.size() ? children.get(i + 2) : null;
            if (b instanceof MaskDropout) {
                continue;
            }
            if (isNamed(b, RELU) && isNamed(next, MAX_POOL)) {
                // max commutes with ReLU: pooling first leaves a quarter of the values to rectify
                out.add(next).add(b);
                i++;
                continue;
            }
            if (b instanceof Convolution conv && conv.isIncludeBias()) {
                if (next instanceof BatchNorm norm) {
                    fold(conv, norm, manager, false);
                    i++;
                } else if (isNamed(next, MAX_POOL) && afterNext instanceof BatchNorm norm && fold(conv, norm, manager, true)) {
                    out.add(solving(b)).add(next);
                    i += 2;
                    continue;
                }
            }
            out.add(solving(b));
        }
        return out;
    }

    /** The block as solving runs it: a 2-D convolution with channels-last weights, anything else as it is. */
    private static Block solving(Block b) {
        return b instanceof Conv2d conv ? withChannelsLastWeights(conv) : b;
    }

    /**
     * The convolution with its weights laid out channels-last once. Its inputs are channels-last
     * ({@link NetworkInput}), and PyTorch then converts the weights to that layout on every call, in
     * oneDNN's path and in its own im2col path alike: at batch 1 five weight copies were ~4% of
     * solving an image (docs/performance.md, "Solving").
     */
    private static Block withChannelsLastWeights(Conv2d conv) {
        NDArray weight = NetworkInput.channelsLast(conv.getDirectParameters().get("weight").getArray());
        NDArray bias = conv.isIncludeBias() ? conv.getDirectParameters().get("bias").getArray() : null;
        Shape stride = conv.getStride();
        Shape padding = conv.getPadding();
        Shape dilation = conv.getDilation();
        int groups = conv.getGroups();
        return new LambdaBlock(list -> Conv2d.conv2d(list.singletonOrThrow(), weight, bias, stride, padding, dilation, groups),
                "convolution");
    }

    private static boolean isNamed(Block b, String name) {
        return b instanceof LambdaBlock lambda && lambda.getName().equals(name);
    }

    /**
     * Folds the norm into the convolution, unless {@code onlyNonNegative} and some channel's scale is
     * negative: then nothing changes and the answer is false. The norm's scale and shift are read off
     * the block itself (its outputs for inputs 0 and 1), so the fold holds whatever epsilon or
     * centre/scale options it was built with.
     */
    private static boolean fold(Convolution conv, BatchNorm norm, NDManager manager, boolean onlyNonNegative) {
        Parameter weight = conv.getDirectParameters().get("weight");
        Parameter bias = conv.getDirectParameters().get("bias");
        NDArray w = weight.getArray();
        long channels = w.getShape().get(0);
        long[] perChannel = new long[w.getShape().dimension()];
        Arrays.fill(perChannel, 1);
        perChannel[1] = channels;
        try (NDManager scope = manager.newSubManager()) {
            ParameterStore store = new ParameterStore(scope, false);
            NDArray t = norm.forward(store, new NDList(scope.zeros(new Shape(perChannel))), false).singletonOrThrow();
            NDArray s = norm.forward(store, new NDList(scope.ones(new Shape(perChannel))), false).singletonOrThrow().sub(t);
            s = s.reshape(channels);
            t = t.reshape(channels);
            if (onlyNonNegative && s.min().getFloat() < 0) {
                return false;
            }
            perChannel[0] = channels;
            perChannel[1] = 1;
            w.muli(s.reshape(new Shape(perChannel)));
            bias.getArray().muli(s).addi(t);
        }
        return true;
    }
}
