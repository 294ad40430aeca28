package org.captchasolver.dataset;

/** Fractions of each label-length stratum that go to train, validation and test. */
public record SplitRatios(double train, double val, double test) implements java.io.Serializable {
    public static final SplitRatios DEFAULT = new SplitRatios(0.7, 0.1, 0.2);

    public SplitRatios {
        if (train <= 0 || val < 0 || test < 0 || Math.abs(train + val + test - 1) > 1e-6) {
            throw new IllegalArgumentException("split ratios must be positive and sum to 1, got "
                    + train + "/" + val + "/" + test);
        }
    }

    /** Parses "70/10/20" or "0.7,0.1,0.2". */
    public static SplitRatios parse(String s) {
        String[] parts = s.split("[/,:]");
        if (parts.length != 3) {
            throw new IllegalArgumentException("--split takes three numbers like 70/10/20, got '" + s + "'");
        }
        double[] v = new double[3];
        double sum = 0;
        for (int i = 0; i < 3; i++) {
            v[i] = Double.parseDouble(parts[i].trim());
            sum += v[i];
        }
        return new SplitRatios(v[0] / sum, v[1] / sum, v[2] / sum);
    }

    @Override
    public String toString() {
        return Math.round(train * 100) + "/" + Math.round(val * 100) + "/" + Math.round(test * 100);
    }
}
