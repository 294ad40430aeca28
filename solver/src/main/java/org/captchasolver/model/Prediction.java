package org.captchasolver.model;

/**
 * A decoded answer.
 *
 * @param confidence      probability the whole answer is right, as the model sees it (product of the characters')
 * @param charConfidences probability of each character of {@code text}
 * @param charDistributions for each character of {@code text}, the model's probabilities over all classes
 *                        at the step that produced it (CTC: the frame where that character peaked)
 */
public record Prediction(String text, float confidence, float[] charConfidences, float[][] charDistributions) {}
