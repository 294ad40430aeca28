package org.captchasolver.image;

/** An image file that cannot be used, with the reason in a form reports can count. */
public class ImageRejectedException extends Exception {

    public enum Kind { EMPTY, NOT_AN_IMAGE, UNDECODABLE, TOO_LARGE, UNREADABLE }

    private final Kind kind;

    public ImageRejectedException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
