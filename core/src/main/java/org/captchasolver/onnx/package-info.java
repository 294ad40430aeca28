/**
 * Export of trained networks to ONNX ({@link org.captchasolver.onnx.OnnxExport}), so that ONNX Runtime, in this
 * project's solver or any other program, can run them without PyTorch.
 */
package org.captchasolver.onnx;
