package org.captchasolver.dataset;

import java.util.Map;
import org.captchasolver.model.LabelRules;

/** {@code index.json}: what an index holds and how it was made, enough to rebuild it identically. */
public record IndexSummary(
        String dataRoot,
        int images,
        int skipped,
        Map<String, Integer> skippedByReason,
        Map<String, Integer> splitSizes,
        String alphabet,
        boolean alphabetFixed,
        LabelRules labelRules,
        String labelSource,
        String splitRatios,
        long seed,
        Integer limit,
        String verify,
        String fingerprint) {}
