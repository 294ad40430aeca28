package org.captchasolver.dataset;

import java.util.Locale;

/** The part of a dataset an image belongs to. */
public enum Split {
    TRAIN, VAL, TEST;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Split parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown split '" + s + "': use train, val or test");
        }
    }
}
