/**
 * Training-time image augmentation: brightness, contrast, saturation, noise and small affine jitter, applied while an
 * image becomes the model's input.
 */
package org.captchasolver.augment;
