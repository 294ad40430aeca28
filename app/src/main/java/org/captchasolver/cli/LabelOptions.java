package org.captchasolver.cli;

import java.nio.file.Path;
import org.captchasolver.dataset.IndexOptions;
import org.captchasolver.dataset.SplitRatios;
import org.captchasolver.image.ImageDecoder;
import org.captchasolver.model.LabelRules;
import picocli.CommandLine.Option;

/** How to label and split a folder of images; shared by every command that indexes data. */
final class LabelOptions {
    @Option(names = "--labels", paramLabel = "FILE", description = "CSV manifest with columns file,label (default: labels.csv in the data folder, if present).")
    Path manifest;

    @Option(names = "--label-regex", paramLabel = "REGEX", description = "Regex with one capture group, applied to the file name without extension, e.g. '^(.+)_\\d+$'.")
    String regex;

    @Option(names = "--lowercase", description = "Fold labels to lower case (schemes that ignore case).")
    boolean lowercase;

    @Option(names = "--max-length", paramLabel = "N", description = "Skip labels longer than N (default: ${DEFAULT-VALUE}).")
    int maxLength = LabelRules.DEFAULT_MAX_LENGTH;

    @Option(names = "--charset", paramLabel = "CHARS", description = "Fixed alphabet; labels with other characters are skipped (default: inferred from the labels).")
    String charset;

    @Option(names = "--split", paramLabel = "T/V/T", description = "Train/validation/test ratios (default: 70/10/20).")
    String split = "70/10/20";

    @Option(names = "--seed", paramLabel = "N", description = "Seed for the split and the subset (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    @Option(names = "--limit", paramLabel = "N", description = "Use a seeded random subset of N images.")
    Integer limit;

    @Option(names = "--quick", description = "Read image headers only (faster; truncated files are then caught later, during training).")
    boolean quick;

    @Option(names = "--max-pixels", paramLabel = "N", description = "Skip images with more pixels than N (default: ${DEFAULT-VALUE}).")
    long maxPixels = ImageDecoder.DEFAULT_MAX_PIXELS;

    /** True when any labelling or split option differs from its default. */
    boolean changedFromDefaults() {
        return manifest != null || regex != null || lowercase || maxLength != LabelRules.DEFAULT_MAX_LENGTH || charset != null
                || !split.equals("70/10/20") || seed != 42 || limit != null || quick || maxPixels != ImageDecoder.DEFAULT_MAX_PIXELS;
    }

    LabelRules rules() {
        return LabelRules.builder().manifest(manifest).regex(regex).lowercase(lowercase).maxLength(maxLength).charset(charset).build();
    }

    IndexOptions indexOptions() {
        return IndexOptions.builder().rules(rules()).fullDecode(!quick).maxPixels(maxPixels).seed(seed)
                .ratios(SplitRatios.parse(split)).limit(limit).build();
    }
}
