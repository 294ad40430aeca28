/**
 * The trainable networks on DJL and PyTorch: their layers and losses, their weights on disk, their solving form, and
 * the PyTorch engine that {@link org.captchasolver.solve.CaptchaSolver} finds through its service loader.
 */
package org.captchasolver.network;
