/**
 * Solving CAPTCHAs with a trained model, inside any JVM program: {@link org.captchasolver.solve.CaptchaSolver}
 * loads a model folder once and answers images from any number of threads, each answer a
 * {@link org.captchasolver.solve.Solution} with its text and confidences. Images it cannot use raise
 * {@link org.captchasolver.solve.InvalidImageException} with the reason.
 */
package org.captchasolver.solve;
