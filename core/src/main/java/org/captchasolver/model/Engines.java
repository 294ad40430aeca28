package org.captchasolver.model;

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
                    System.setProperty("ai.djl.offline", "true");
                    setDefault("ai.djl.pytorch.num_threads", String.valueOf(Runtime.getRuntime().availableProcessors()));
                    setDefault("ai.djl.pytorch.num_interop_threads", "1");
                    setDefault("ai.djl.default_engine", "PyTorch");
                    try {
                        engine = Engine.getEngine("PyTorch");
                    } catch (RuntimeException | UnsatisfiedLinkError e) {
                        throw new org.captchasolver.util.CaptchaException("cannot start PyTorch: " + e.getMessage()
                                + " (the pytorch-native-cpu jar must be on the classpath; rebuild with 'mvn package')", e);
                    }
                }
            }
        }
        return engine;
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
