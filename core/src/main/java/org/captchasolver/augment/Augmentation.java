package org.captchasolver.augment;

/**
 * Training-time augmentation settings. The photometric four come from the seed notebook; the
 * affine jitter is ours. {@link #NONE} is what validation, test and solving use.
 */
public record Augmentation(
        float brightness,
        float contrastLow,
        float contrastHigh,
        float saturationLow,
        float saturationHigh,
        float noiseStd,
        float rotationDegrees,
        float shiftFraction,
        float scaleJitter) {

    public static final Augmentation NONE = new Augmentation(0, 1, 1, 1, 1, 0, 0, 0, 0);

    /** The seed's photometric settings plus small affine jitter. */
    public static final Augmentation DEFAULT = new Augmentation(0.25f, 0.8f, 1.3f, 0.8f, 1.2f, 0.03f, 3f, 0.04f, 0.06f);

    public boolean isNone() {
        return equals(NONE);
    }

    public Augmentation withoutAffine() {
        return new Augmentation(brightness, contrastLow, contrastHigh, saturationLow, saturationHigh, noiseStd, 0, 0, 0);
    }

    public boolean hasAffine() {
        return rotationDegrees > 0 || shiftFraction > 0 || scaleJitter > 0;
    }
}
