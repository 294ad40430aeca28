package org.captchasolver.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version of this build, as Maven stamped it into {@code version.properties}. */
public final class Version {
    private static final String VERSION = read();

    private Version() {}

    /** The build's version, such as {@code 0.1.0-SNAPSHOT}. */
    public static String current() {
        return VERSION;
    }

    /** What a model bundle records as its producer: {@code captcha-solver <version>}. */
    public static String producer() {
        return "captcha-solver " + VERSION;
    }

    private static String read() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("version.properties is missing from the build");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
