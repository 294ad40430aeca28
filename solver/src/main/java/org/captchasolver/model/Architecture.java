package org.captchasolver.model;

import java.util.Locale;
import org.captchasolver.image.InputShape;

/** The networks a model can be. */
public enum Architecture {
    /**
     * Compact CNN that keeps horizontal resolution, a bidirectional LSTM head and CTC: variable-length
     * by construction. The default. Its 48x128 input keeps the vertical detail that tells an h from an n
     * (32x128 read the generated styles 1-1.3 points worse, docs/accuracy.md "Input size") and still
     * solves an image within the 2 ms goal (docs/performance.md).
     */
    CRNN("crnn", new InputShape(3, 48, 128)),
    /** The seed notebook's network: 9 convolutions, global pooling, one dense head per position. */
    SEED_CNN("seed-cnn", new InputShape(3, 100, 200));

    private final String id;
    private final InputShape defaultInput;

    Architecture(String id, InputShape defaultInput) {
        this.id = id;
        this.defaultInput = defaultInput;
    }

    /** The name the command line and the bundle use. */
    public String id() {
        return id;
    }

    /** The input a new model of this architecture takes unless told otherwise. */
    public InputShape defaultInput() {
        return defaultInput;
    }

    /** Whether the output is read by CTC (one step per column group) rather than one head per position. */
    public boolean usesCtc() {
        return this == CRNN;
    }

    /** The name the command line and the bundle use: {@code crnn} or {@code seed-cnn}. */
    @Override
    public String toString() {
        return id;
    }

    /**
     * The architecture named {@code s}, in any case.
     *
     * @throws IllegalArgumentException naming the choices when there is none of that name
     */
    public static Architecture parse(String s) {
        for (Architecture a : values()) {
            if (a.id.equals(s.trim().toLowerCase(Locale.ROOT))) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown architecture '" + s + "': use crnn or seed-cnn");
    }
}
