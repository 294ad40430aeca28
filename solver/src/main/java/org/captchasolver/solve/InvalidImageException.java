package org.captchasolver.solve;

import org.captchasolver.common.CaptchaException;

/** The input to solve is not a usable image (empty, corrupt, not an image, too large). */
public class InvalidImageException extends CaptchaException {
    /** @param message the reason, naming the file where there is one */
    public InvalidImageException(String message) {
        super(message);
    }
}
