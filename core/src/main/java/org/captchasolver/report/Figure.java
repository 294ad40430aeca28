package org.captchasolver.report;

import java.nio.file.Path;

/** A written figure with the sentence that tells a reader what it shows. */
public record Figure(Path file, String title, String caption) {}
