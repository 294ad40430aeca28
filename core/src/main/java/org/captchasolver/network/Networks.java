package org.captchasolver.network;

import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.nn.recurrent.LSTM;
import java.util.ArrayList;
import java.util.List;
import org.captchasolver.model.Architecture;
import org.captchasolver.model.ModelSpec;

/**
 * Builds the networks. Both output logits of shape (batch, steps, classes): the CRNN one step per
 * column group (for CTC), the seed CNN one step per character position (class 0 = no character).
 */
public final class Networks {
    private Networks() {}

    public static Block build(ModelSpec spec) {
        return switch (spec.architecture()) {
            case CRNN -> crnn(spec);
            case SEED_CNN -> seedCnn(spec);
        };
    }

    /**
     * Conv-BN-ReLU stages pool height 16x but width only 4x, so each of the W/4 output columns
     * sees a narrow vertical strip of the image; a 1-D convolution mixes neighbouring columns, then the
     * sequence head gives every step its context: by default a bidirectional LSTM (it leaves the CTC
     * blank plateau far sooner, docs/accuracy.md), or two more 1-D convolutions with {@code --head conv}.
     */
    static Block crnn(ModelSpec spec) {
        int c1 = spec.channels(16);
        int c2 = spec.channels(32);
        int c3 = spec.channels(64);
        int c4 = spec.channels(96);
        int seq = spec.channels(128);
        int hOut = spec.input().height() / 16;
        SequentialBlock net = new SequentialBlock();
        if (spec.stem() == ModelSpec.Stem.STRIDED) {
            net.add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optStride(new Shape(2, 2)).optPadding(new Shape(1, 1))
                    .setFilters(c1).build()).add(BatchNorm.builder().build()).add(Activation.reluBlock());
        } else {
            stage(net, spec.pooling(), c1, 2, 2);
        }
        stage(net, spec.pooling(), c2, 2, 2);
        stage(net, spec.pooling(), c3, 1, 1);
        stage(net, spec.pooling(), c3, 2, 1);
        stage(net, spec.pooling(), c4, 2, 1);
        // (B, C, H', W') -> (B, C*H', W'): every column becomes one feature vector.
        net.add(LambdaBlock.singleton(x -> x.reshape(x.getShape().get(0), (long) c4 * hOut, x.getShape().get(3)), "columns"));
        net.add(conv1d(seq, 3)).add(BatchNorm.builder().build()).add(Activation.reluBlock())
                .add(new MaskDropout(0.2f));
        if (spec.sequenceHead() == ModelSpec.SequenceHead.CONV) {
            net.add(conv1d(seq, 3)).add(BatchNorm.builder().build()).add(Activation.reluBlock())
                    .add(new MaskDropout(0.2f));
            net.add(Conv1d.builder().setKernelShape(new Shape(1)).setFilters(spec.classes()).build());
            net.add(LambdaBlock.singleton(x -> x.transpose(0, 2, 1), "steps"));
        } else {
            net.add(LambdaBlock.singleton(x -> x.transpose(0, 2, 1), "steps"));
            net.add(bidirectionalLstm(seq / 2));
            net.add(new MaskDropout(0.25f));
            net.add(Linear.builder().setUnits(spec.classes()).build());
        }
        return net;
    }

    /**
     * The notebook's network, layer for layer (Keras order: convolution, ReLU, then batch norm).
     * A width multiplier other than 1 scales every layer's width (tests use a narrow copy).
     */
    static Block seedCnn(ModelSpec spec) {
        SequentialBlock net = new SequentialBlock();
        int[][] stages = {{spec.channels(64), 7}, {spec.channels(128), 5}, {spec.channels(256), 3}, {spec.channels(512), 3}};
        float[] drops = {0.2f, 0.25f, 0.3f, 0.35f};
        for (int s = 0; s < stages.length; s++) {
            for (int k = 0; k < 2; k++) {
                net.add(conv2d(stages[s][0], stages[s][1])).add(Activation.reluBlock()).add(BatchNorm.builder().build());
            }
            net.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
            net.add(new MaskDropout(drops[s]));
        }
        net.add(conv2d(spec.channels(512), 3)).add(Activation.reluBlock()).add(BatchNorm.builder().build());
        net.add(Pool.globalAvgPool2dBlock());
        net.add(new MaskDropout(0.5f));
        List<Block> heads = new ArrayList<>();
        for (int p = 0; p < spec.maxLength(); p++) {
            heads.add(new SequentialBlock()
                    .add(Linear.builder().setUnits(spec.channels(512)).build()).add(Activation.reluBlock()).add(BatchNorm.builder().build())
                    .add(new MaskDropout(0.4f))
                    .add(Linear.builder().setUnits(spec.channels(256)).build()).add(Activation.reluBlock()).add(BatchNorm.builder().build())
                    .add(new MaskDropout(0.3f))
                    .add(Linear.builder().setUnits(spec.classes()).build()));
        }
        net.add(new ParallelBlock(outs -> {
            NDList each = new NDList();
            for (NDList o : outs) {
                each.add(o.singletonOrThrow());
            }
            return new NDList(NDArrays.stack(each, 1));
        }, heads));
        return net;
    }

    /**
     * A forward and a backward LSTM over (B, T, F), outputs concatenated. Built by hand because DJL's
     * own bidirectional layers order their parameters wrongly when they have biases.
     */
    private static Block bidirectionalLstm(int hidden) {
        // Each branch takes its own list: DJL's LSTM appends its states to the list it is given.
        Block forward = new SequentialBlock()
                .add(new LambdaBlock(list -> new NDList(list.get(0)), "own-input"))
                .add(lstm(hidden));
        SequentialBlock backward = new SequentialBlock()
                .add(new LambdaBlock(list -> new NDList(list.get(0).flip(1)), "reverse"))
                .add(lstm(hidden))
                .add(LambdaBlock.singleton(x -> x.flip(1), "unreverse"));
        return new ParallelBlock(outs -> new NDList(NDArrays.concat(
                new NDList(outs.get(0).singletonOrThrow(), outs.get(1).singletonOrThrow()), 2)), List.of(forward, backward));
    }

    private static Block lstm(int hidden) {
        // The PyTorch LSTM hands back (output, h, c) whatever optReturnState says; keep the output.
        return new SequentialBlock()
                .add(LSTM.builder().setStateSize(hidden).setNumLayers(1).optBatchFirst(true).optReturnState(false).build())
                .add(new LambdaBlock(list -> new NDList(list.get(0)), "output"));
    }

    /** A 3x3 convolution, batch norm and ReLU, with max pooling of {@code ph x pw} (none if 1x1) where {@code pooling} puts it. */
    private static void stage(SequentialBlock net, ModelSpec.Pooling pooling, int filters, int ph, int pw) {
        boolean pools = ph > 1 || pw > 1;
        net.add(conv2d(filters, 3));
        if (pools && pooling == ModelSpec.Pooling.BEFORE_NORM) {
            net.add(Pool.maxPool2dBlock(new Shape(ph, pw), new Shape(ph, pw)));
        }
        net.add(BatchNorm.builder().build()).add(Activation.reluBlock());
        if (pools && pooling == ModelSpec.Pooling.AFTER_ACTIVATION) {
            net.add(Pool.maxPool2dBlock(new Shape(ph, pw), new Shape(ph, pw)));
        }
    }

    private static Conv2d conv2d(int filters, int k) {
        return Conv2d.builder().setKernelShape(new Shape(k, k)).optPadding(new Shape(k / 2, k / 2)).setFilters(filters).build();
    }

    private static Conv1d conv1d(int filters, int k) {
        return Conv1d.builder().setKernelShape(new Shape(k)).optPadding(new Shape(k / 2)).setFilters(filters).build();
    }

    /** Multiply-adds x2 of one forward pass, counted from the layer shapes (for the FLOP/s report). */
    public static double forwardFlops(ModelSpec spec) {
        InputShapeCounter c = new InputShapeCounter(spec.input().channels(), spec.input().height(), spec.input().width());
        if (spec.architecture() == Architecture.CRNN) {
            if (spec.stem() == ModelSpec.Stem.STRIDED) {
                c.pool(2, 2).conv(spec.channels(16), 3);
            } else {
                c.conv(spec.channels(16), 3).pool(2, 2);
            }
            c.conv(spec.channels(32), 3).pool(2, 2).conv(spec.channels(64), 3).conv(spec.channels(64), 3).pool(2, 1)
                    .conv(spec.channels(96), 3).pool(2, 1);
            double flops = c.flops;
            int t = c.w;
            int f = c.c * c.h;
            int seq = spec.channels(128);
            flops += 2.0 * t * f * 3 * seq;
            if (spec.sequenceHead() == ModelSpec.SequenceHead.CONV) {
                flops += 2.0 * t * seq * 3 * seq + 2.0 * t * seq * spec.classes();
            } else {
                int h = seq / 2;
                flops += 2 * (2.0 * t * 4 * h * (seq + h)) + 2.0 * t * 2 * h * spec.classes();
            }
            return flops;
        }
        c.conv(spec.channels(64), 7).conv(spec.channels(64), 7).pool(2, 2).conv(spec.channels(128), 5).conv(spec.channels(128), 5).pool(2, 2)
                .conv(spec.channels(256), 3).conv(spec.channels(256), 3).pool(2, 2).conv(spec.channels(512), 3).conv(spec.channels(512), 3).pool(2, 2)
                .conv(spec.channels(512), 3);
        int wide = spec.channels(512);
        int narrow = spec.channels(256);
        return c.flops + spec.maxLength() * 2.0 * (wide * wide + wide * narrow + narrow * spec.classes());
    }

    private static final class InputShapeCounter {
        int c;
        int h;
        int w;
        double flops;

        InputShapeCounter(int c, int h, int w) {
            this.c = c;
            this.h = h;
            this.w = w;
        }

        InputShapeCounter conv(int out, int k) {
            flops += 2.0 * h * w * c * k * k * out;
            c = out;
            return this;
        }

        InputShapeCounter pool(int ph, int pw) {
            h /= ph;
            w /= pw;
            return this;
        }
    }

}
