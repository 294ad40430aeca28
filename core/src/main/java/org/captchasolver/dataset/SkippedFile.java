package org.captchasolver.dataset;

/** A file left out of an index, with why. {@code file} is relative to the dataset root. */
public record SkippedFile(String file, SkipReason reason, String detail) {}
