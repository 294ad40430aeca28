package org.captchasolver.dataset;

import org.captchasolver.image.ImageDecoder;
import org.captchasolver.model.LabelRules;

/**
 * How to index a folder.
 *
 * @param fullDecode decode every image (catches truncated files) rather than reading headers only
 * @param limit      keep a seeded random subset of this many images, or null for all
 */
public record IndexOptions(LabelRules rules, boolean fullDecode, long maxPixels, long seed,
                           SplitRatios ratios, Integer limit) {

    public IndexOptions {
        if (limit != null && limit < 1) {
            throw new IllegalArgumentException("--limit must be at least 1, got " + limit);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private LabelRules rules = LabelRules.defaults();
        private boolean fullDecode = true;
        private long maxPixels = ImageDecoder.DEFAULT_MAX_PIXELS;
        private long seed = 42;
        private SplitRatios ratios = SplitRatios.DEFAULT;
        private Integer limit;

        public Builder rules(LabelRules v) { rules = v; return this; }
        public Builder fullDecode(boolean v) { fullDecode = v; return this; }
        public Builder maxPixels(long v) { maxPixels = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder ratios(SplitRatios v) { ratios = v; return this; }
        public Builder limit(Integer v) { limit = v; return this; }

        public IndexOptions build() {
            return new IndexOptions(rules, fullDecode, maxPixels, seed, ratios, limit);
        }
    }
}
