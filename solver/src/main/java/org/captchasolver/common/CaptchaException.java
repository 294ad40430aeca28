package org.captchasolver.common;

/**
 * A failure the user can act on. The message is one line that names the file or field and says
 * what to do; the CLI prints it without a stack trace.
 */
public class CaptchaException extends RuntimeException {
    /** @param message one line naming the file or field and what to do */
    public CaptchaException(String message) {
        super(message);
    }

    /** @param message one line naming the file or field and what to do; {@code cause} what failed underneath */
    public CaptchaException(String message, Throwable cause) {
        super(message, cause);
    }
}
