package org.captchasolver.train;

import java.util.List;
import java.util.Locale;
import org.captchasolver.dataset.IndexEntry;
import org.captchasolver.image.InputShape;
import org.captchasolver.model.Architecture;

/**
 * The CRNN input a dataset gets when {@code --input} does not say, from its training images: 48 pixels high (the
 * height that tells an h from an n, docs/accuracy.md "Input size") and as wide as two bounds ask, in steps of 16, from
 * 128 (the width the shared sets read at 99–100%) to 512:
 * <ul>
 *   <li>the glyphs' proportions: resizing to 48 high must not narrow the median image's glyphs to less than two
 *       thirds of their width, so the width is at least 32 times the median aspect ratio. A 735×80 image of 8
 *       characters squashed to 128×48 kept its glyphs at 0.29 of their proportions, and its set trained to 12%;</li>
 *   <li>CTC's columns: the network reads one column per 4 pixels, and a character needs room for itself and a blank
 *       to the next, so at least 4 columns (16 pixels) per character of the longest label.</li>
 * </ul>
 * The shared sets (118×51 and 200×50 images of 5–6 characters) and the generator's fixed-size styles keep 3×48×128.
 *
 * @param shape the input
 * @param why   one line saying which bound decided it, for the training log and the bundle
 */
record InputGeometry(InputShape shape, String why) {
    static final int HEIGHT = 48;
    static final int MIN_WIDTH = 128;
    static final int MAX_WIDTH = 512;
    /** Width per unit of aspect ratio that keeps glyphs at two thirds of their proportions at 48 high. */
    static final double WIDTH_PER_ASPECT = HEIGHT * 2 / 3.0;
    /** Pixels per character of the longest label: 4 CTC columns. */
    static final int WIDTH_PER_CHARACTER = 16;

    /**
     * @param train     the training images (their sizes come from the index)
     * @param maxLength the longest label
     */
    static InputGeometry choose(Architecture architecture, List<IndexEntry> train, int maxLength) {
        if (architecture != Architecture.CRNN) {
            return new InputGeometry(architecture.defaultInput(), "the " + architecture + " default");
        }
        double aspect = medianAspect(train);
        int forShape = (int) Math.ceil(WIDTH_PER_ASPECT * aspect);
        int forLength = WIDTH_PER_CHARACTER * maxLength;
        int width = Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, roundUp16(Math.max(forShape, forLength))));
        String bound = width == MIN_WIDTH ? "the smallest width"
                : width == MAX_WIDTH ? "the largest width"
                : forShape >= forLength ? "the glyphs' proportions" : "the longest label's columns";
        String why = String.format(Locale.ROOT, "input 3x%dx%d: median image %.1f times as wide as high, labels up to %d "
                + "characters; %s decided it", HEIGHT, width, aspect, maxLength, bound);
        return new InputGeometry(new InputShape(3, HEIGHT, width), why);
    }

    static double medianAspect(List<IndexEntry> entries) {
        double[] aspects = entries.stream().filter(e -> e.width() > 0 && e.height() > 0)
                .mapToDouble(e -> e.width() / (double) e.height()).sorted().toArray();
        if (aspects.length == 0) {
            return MIN_WIDTH / (double) HEIGHT;
        }
        int mid = aspects.length / 2;
        return aspects.length % 2 == 1 ? aspects[mid] : (aspects[mid - 1] + aspects[mid]) / 2;
    }

    private static int roundUp16(int v) {
        return (v + 15) / 16 * 16;
    }
}
