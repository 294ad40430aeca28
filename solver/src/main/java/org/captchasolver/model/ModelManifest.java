package org.captchasolver.model;

import java.util.Map;

/**
 * {@code model.json}: what a model bundle is and where it came from; with its weights ({@code model.onnx} or
 * {@code model.params}) it is everything solving and evaluating need.
 *
 * @param formatVersion {@link #FORMAT_VERSION} of the version that wrote it
 * @param producer   the version that wrote it, such as {@code captcha-solver 0.1.0}
 * @param name       the run folder's name
 * @param spec       the network and how to read its output
 * @param labelRules how labels were normalised for training (lowercased, say), so answers compare with them
 * @param training   data root, index folder, data fingerprint, split sizes, epochs, time
 * @param metrics    validation metrics of the kept (best) epoch
 * @param created    when it was written, ISO-8601
 * @param paramsSha256 SHA-256 of {@code model.params} as it was written, checked when the model loads;
 *                     null in bundles written before it was recorded, or without that file
 * @param onnxSha256 SHA-256 of {@code model.onnx} as it was written, checked when the model loads; null in bundles
 *                   written before ONNX export, and inside the ONNX file itself
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
        String paramsSha256,
        String onnxSha256) {

    /** A manifest whose weights' checksum is filled in when {@link ModelBundle#save} writes them. */
    public ModelManifest(int formatVersion, String producer, String name, ModelSpec spec, LabelRules labelRules,
                         Map<String, Object> training, Map<String, Double> metrics, String created) {
        this(formatVersion, producer, name, spec, labelRules, training, metrics, created, null, null);
    }

    /** The same manifest for weights with this checksum. */
    public ModelManifest withParamsSha256(String sha256) {
        return new ModelManifest(formatVersion, producer, name, spec, labelRules, training, metrics, created, sha256, onnxSha256);
    }

    /** The same manifest for an ONNX model with this checksum (null: none recorded). */
    public ModelManifest withOnnxSha256(String sha256) {
        return new ModelManifest(formatVersion, producer, name, spec, labelRules, training, metrics, created, paramsSha256, sha256);
    }

    /** Bumped whenever a bundle written by an older version could not be read correctly. */
    public static final int FORMAT_VERSION = 1;
}
