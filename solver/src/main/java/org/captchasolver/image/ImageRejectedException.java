package org.captchasolver.image;

/** An image file that cannot be used, with the reason in a form reports can count. */
public class ImageRejectedException extends Exception {

    /** Why an image was refused. */
    public enum Kind { EMPTY, NOT_AN_IMAGE, UNDECODABLE, TOO_LARGE, UNREADABLE }

    private final Kind kind;

    /** @param kind why; {@code message} the details */
    public ImageRejectedException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    /** Why the image was refused. */
    public Kind kind() {
        return kind;
    }
}
