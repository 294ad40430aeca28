/**
 * The ONNX Runtime engine: runs a bundle's {@code model.onnx}, or a bare {@code .onnx} file that carries its manifest
 * in its metadata. Reached through {@link org.captchasolver.solve.CaptchaSolver}.
 */
package org.captchasolver.onnxruntime;
