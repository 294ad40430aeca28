package org.captchasolver.dataset;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Identifies a dataset's content (files, labels, sizes, split) so a model can say what it was
 * trained on. Fed entries in file order, one at a time, so a distributed index can stream them.
 */
public final class Fingerprint {
    private final MessageDigest md;

    public Fingerprint() {
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public void add(IndexEntry e) {
        md.update((e.file() + '\t' + e.label() + '\t' + e.bytes() + '\t' + e.split().id() + '\n').getBytes(StandardCharsets.UTF_8));
    }

    public String hex() {
        return HexFormat.of().formatHex(md.digest()).substring(0, 16);
    }
}
