package org.captchasolver.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.FloatBuffer;
import org.captchasolver.model.ModelSpec;

/**
 * Makes the network's input tensor from CHW pixels, laid out channels-last in memory. The tensor
 * keeps its logical (N, C, H, W) shape, so the network does not change; PyTorch's oneDNN
 * convolutions then keep every activation channels-last, and max pooling and batch norm run their
 * vectorised channels-last kernels instead of scalar loops over planes: a training step at batch
 * 64 runs about 50% more images per second, and a single image is solved faster too, because PyTorch
 * then picks oneDNN over its im2col convolution (docs/performance.md, "Network").
 */
public final class NetworkInput {
    private NetworkInput() {}

    /**
     * @param pixels {@code n} images in CHW order, each {@code spec.input().size()} floats
     */
    public static NDArray of(NDManager scope, ModelSpec spec, float[] pixels, int n) {
        Shape planar = Weights.inputShape(spec, n);
        return channelsLast(scope.create(FloatBuffer.wrap(pixels, 0, n * spec.input().size()), planar));
    }

    /** A copy of a 4-D (N, C, H, W) array with the same shape, laid out NHWC in memory. */
    static NDArray channelsLast(NDArray nchw) {
        Shape s = nchw.getShape();
        long n = s.get(0);
        long c = s.get(1);
        long h = s.get(2);
        long w = s.get(3);
        // Flattening the NHWC view forces a copy in NHWC order; viewing that as NCHW gives
        // channels-last strides.
        return nchw.transpose(0, 2, 3, 1).reshape(n, h * w * c).reshape(n, h, w, c).transpose(0, 3, 1, 2);
    }
}
