package org.captchasolver.dataset;

import java.util.Locale;

/** The part of a dataset an image belongs to. */
public enum Split {
    TRAIN, VAL, TEST;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Split parse(String s) {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
    }
}
