package org.captchasolver.eda;

/**
 * Sample sizes of the local analysis (the seed notebook's: 1000 images for sizes and channels,
 * 500 for intensities, 12 in the sample grid). Label statistics always cover every image.
 */
public record EdaOptions(int sizeSample, int intensitySample, int gridImages, long seed) {
    public static final EdaOptions DEFAULT = new EdaOptions(1000, 500, 12, 42);

    public EdaOptions {
        if (sizeSample < 1 || intensitySample < 1 || gridImages < 1) {
            throw new IllegalArgumentException("EDA sample sizes must be at least 1");
        }
    }
}
