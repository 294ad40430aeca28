package org.captchasolver.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import org.captchasolver.model.ModelSpec;

/** The training loss of each architecture, for training and for reporting per-image losses. */
public final class Losses {
    private Losses() {}

    public static Loss forTraining(ModelSpec spec, float labelSmoothing) {
        return spec.architecture().usesCtc() ? new CtcLoss() : new PositionLoss(labelSmoothing);
    }

    /** Labels as the losses take them: (B, maxLength) class ids padded with 0, and (B) lengths. */
    public static NDList labels(NDManager scope, int[] classes, int[] lengths, int maxLength) {
        return new NDList(scope.create(classes, new Shape(lengths.length, maxLength)), scope.create(lengths, new Shape(lengths.length)));
    }

    /** Loss of each image, shape (B). */
    public static NDArray perSample(ModelSpec spec, NDList labels, NDArray logits) {
        if (spec.architecture().usesCtc()) {
            return CtcLoss.perSample(labels.get(0), labels.get(1), logits);
        }
        return PositionLoss.perSample(labels.get(0), logits, 0f);
    }
}
