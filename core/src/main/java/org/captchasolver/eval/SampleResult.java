package org.captchasolver.eval;

import org.captchasolver.dataset.IndexEntry;
import org.captchasolver.model.Prediction;

/** One evaluated image. */
public record SampleResult(IndexEntry entry, Prediction prediction) {
    public boolean correct() {
        return entry.label().equals(prediction.text());
    }
}
