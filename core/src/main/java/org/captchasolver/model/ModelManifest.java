package org.captchasolver.model;

import java.util.Map;
import org.captchasolver.dataset.LabelRules;

/**
 * {@code model.json}: what a model bundle is and where it came from; with {@code model.params} it
 * is everything {@code solve} and {@code evaluate} need.
 *
 * @param training   data root, index folder, data fingerprint, split sizes, epochs, time
 * @param metrics    validation metrics of the kept (best) epoch
 * @param paramsSha256 SHA-256 of {@code model.params} as it was written, checked when the model loads;
 *                     null in bundles written before it was recorded
 */
public record ModelManifest(
        int formatVersion,
        String producer,
        String name,
        ModelSpec spec,
        LabelRules labelRules,
        Map<String, Object> training,
        Map<String, Double> metrics,
        String created,
        String paramsSha256) {

    /** A manifest whose weights' checksum is filled in when {@link ModelBundle#save} writes them. */
    public ModelManifest(int formatVersion, String producer, String name, ModelSpec spec, LabelRules labelRules,
                         Map<String, Object> training, Map<String, Double> metrics, String created) {
        this(formatVersion, producer, name, spec, labelRules, training, metrics, created, null);
    }

    /** The same manifest for weights with this checksum. */
    public ModelManifest withParamsSha256(String sha256) {
        return new ModelManifest(formatVersion, producer, name, spec, labelRules, training, metrics, created, sha256);
    }

    /** Bumped whenever a bundle written by an older version could not be read correctly. */
    public static final int FORMAT_VERSION = 1;
}
