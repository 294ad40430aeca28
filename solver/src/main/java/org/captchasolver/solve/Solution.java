package org.captchasolver.solve;

import java.util.List;

/**
 * The answer to one CAPTCHA.
 *
 * @param confidence the model's probability that the whole text is right (product of the characters')
 */
public record Solution(String text, double confidence, List<CharConfidence> chars) {

    /** One character of the answer and how sure the model is of it. */
    public record CharConfidence(String character, double confidence) {}
}
