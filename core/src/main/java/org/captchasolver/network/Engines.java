package org.captchasolver.network;

import ai.djl.engine.Engine;

/**
 * Starts the PyTorch engine from the native jar on the classpath, never from the network, with
 * one intra-op thread per core.
 */
public final class Engines {
    private static volatile Engine engine;

    private Engines() {}

    public static Engine pytorch() {
        if (engine == null) {
            synchronized (Engines.class) {
                if (engine == null) {
                    requireNativeLibrary();
                    System.setProperty("ai.djl.offline", "true");
                    setDefault("ai.djl.pytorch.num_threads", String.valueOf(Runtime.getRuntime().availableProcessors()));
                    setDefault("ai.djl.pytorch.num_interop_threads", "1");
                    setDefault("ai.djl.default_engine", "PyTorch");
                    try {
                        engine = Engine.getEngine("PyTorch");
                        quietNativeWarnings();
                    } catch (RuntimeException | UnsatisfiedLinkError e) {
                        throw new org.captchasolver.common.CaptchaException("cannot start PyTorch: " + e.getMessage()
                                + " (the pytorch-native-cpu jar must be on the classpath; rebuild with 'mvn package')", e);
                    }
                }
            }
        }
        return engine;
    }

    /** The platforms Maven Central has PyTorch 2.7.1's CPU natives for, as the build's profiles name them. */
    static final String PLATFORMS = "linux-x86_64, linux-aarch64, osx-aarch64 and win-x86_64";

    /**
     * Fails with one line (a {@link org.captchasolver.common.CaptchaException}) when no PyTorch native jar is on the class path (the build chooses the one for the platform
     * it runs on), rather than with DJL's "Failed to save pytorch index file" from an offline download attempt.
     */
    public static void requireNativeLibrary() {
        if (Engines.class.getClassLoader().getResource("native/lib/pytorch.properties") == null) {
            throw new org.captchasolver.common.CaptchaException("no PyTorch native library for " + System.getProperty("os.name")
                    + " " + System.getProperty("os.arch") + " on the class path: training runs on " + PLATFORMS
                    + " (build there with 'mvn package'); solving with ONNX Runtime works without PyTorch");
        }
    }

    /**
     * Raises PyTorch's C++ log threshold to errors. Otherwise every process that runs a convolution on a
     * CPU without NNPACK's instructions prints "Could not initialize NNPACK! Reason: Unsupported
     * hardware." into the user's console and logs, though PyTorch simply uses its other kernels.
     * {@code TORCH_CPP_LOG_LEVEL} set in the environment wins (INFO or WARNING shows them again).
     * Where the library or its flag cannot be found (another platform), nothing changes.
     */
    private static void quietNativeWarnings() {
        if (System.getenv("TORCH_CPP_LOG_LEVEL") != null) {
            return;
        }
        try {
            java.util.Optional<String> c10 = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/maps")).stream()
                    .map(line -> line.substring(line.indexOf('/') < 0 ? line.length() : line.indexOf('/')))
                    .filter(path -> path.endsWith("/libc10.so")).findFirst();
            if (c10.isPresent()) {
                com.sun.jna.NativeLibrary.getInstance(c10.get()).getGlobalVariableAddress("FLAGS_caffe2_log_level").setInt(0, 2);
            }
        } catch (java.io.IOException | RuntimeException | UnsatisfiedLinkError e) {
            // Without /proc or the symbol the warnings stay; solving and training are unaffected.
        }
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
