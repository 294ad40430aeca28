package org.captchasolver.onnx;

/** The names of the exported graph's input and output, which ONNX Runtime solving looks up. */
final class OnnxNames {
    static final String INPUT = org.captchasolver.onnxruntime.OnnxRuntimeNetwork.INPUT;
    static final String OUTPUT = org.captchasolver.onnxruntime.OnnxRuntimeNetwork.OUTPUT;

    private OnnxNames() {}
}
