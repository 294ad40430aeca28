package org.captchasolver.model;

import java.util.Map;
import org.captchasolver.dataset.LabelRules;

/**
 * {@code model.json}: what a model bundle is and where it came from; with {@code model.params} it
 * is everything {@code solve} and {@code evaluate} need.
 *
 * @param training   data root, index folder, data fingerprint, split sizes, epochs, time
 * @param metrics    validation metrics of the kept (best) epoch
 */
public record ModelManifest(
        int formatVersion,
        String producer,
        String name,
        ModelSpec spec,
        LabelRules labelRules,
        Map<String, Object> training,
        Map<String, Double> metrics,
        String created) {

    /** Bumped whenever a bundle written by an older version could not be read correctly. */
    public static final int FORMAT_VERSION = 1;
}
