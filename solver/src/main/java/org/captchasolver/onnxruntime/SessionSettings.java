package org.captchasolver.onnxruntime;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * How ONNX Runtime sessions are set up, chosen by measurement on 2 cores (docs/performance.md, "Engines"): every
 * graph optimisation (its NCHWc convolution layout is most of the speed), no memory arena, intra-op threads one per
 * core unless the system property {@code captcha.onnx.threads} says otherwise (the HTTP server sets 1: its
 * parallelism comes from concurrent requests).
 *
 * @param intraOpThreads threads one run may use
 */
record SessionSettings(int intraOpThreads) {

    static SessionSettings current() {
        // The JVM's processor count, which follows a container's CPU limit, rather than ONNX Runtime's own count.
        return new SessionSettings(Integer.getInteger("captcha.onnx.threads", Runtime.getRuntime().availableProcessors()));
    }

    OrtSession.SessionOptions options() throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        // Without ONNX Runtime's arena a batch's buffers go back to malloc: a batch of 64 ran 2,822 images/s
        // (median of 8 rounds) against 1,999 with it, batch-1 latency the same within the noise.
        options.setCPUArenaAllocator(false);
        options.setIntraOpNumThreads(Math.max(1, intraOpThreads));
        return options;
    }
}
