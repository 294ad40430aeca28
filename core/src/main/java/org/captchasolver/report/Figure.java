package org.captchasolver.report;

import java.nio.file.Path;

/**
 * A written figure with the sentence that tells a reader what it shows.
 *
 * @param folded null, or the heading of a folded section that holds this figure with its neighbours of
 *               the same heading (the report shows them on request)
 */
public record Figure(Path file, String title, String caption, String folded) {
    /** A figure shown as it is. */
    public Figure(Path file, String title, String caption) {
        this(file, title, caption, null);
    }
}
