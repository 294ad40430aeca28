package org.captchasolver.dataset;

/** Why a file was left out of an index. */
public enum SkipReason {
    ZERO_BYTE("the file is empty"),
    NOT_AN_IMAGE("the content is not an image despite its extension"),
    UNDECODABLE("the image is truncated or corrupt"),
    TOO_LARGE("the image has more pixels than the limit (decompression-bomb guard)"),
    UNREADABLE("the file, or the folder it is in, cannot be read"),
    LINK_LOOP("a symbolic link leads back to a folder above it"),
    NO_LABEL("the manifest has no label for this file"),
    NO_LABEL_MATCH("the label regex does not match the file name"),
    LABEL_EMPTY("the label is empty"),
    LABEL_TOO_LONG("the label is longer than --max-length"),
    CHAR_OUTSIDE_CHARSET("the label has a character outside the fixed charset");

    private final String description;

    SkipReason(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** Why an image that the decoder refused is skipped. */
    public static SkipReason of(org.captchasolver.image.ImageRejectedException.Kind kind) {
        return switch (kind) {
            case EMPTY -> ZERO_BYTE;
            case NOT_AN_IMAGE -> NOT_AN_IMAGE;
            case UNDECODABLE -> UNDECODABLE;
            case TOO_LARGE -> TOO_LARGE;
            case UNREADABLE -> UNREADABLE;
        };
    }
}
