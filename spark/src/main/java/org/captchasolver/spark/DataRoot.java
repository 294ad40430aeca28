package org.captchasolver.spark;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A dataset root given as a local folder or any Hadoop file-system URI, and the relative names of
 * the files below it (forward slashes, as the local index writes them).
 */
record DataRoot(String uri, String local) implements java.io.Serializable {

    /** The folder, when the root is on this machine's file system; else null. */
    Path localPath() {
        return local == null ? null : Path.of(local);
    }

    static DataRoot of(String data) {
        URI u = URI.create(data.replace(" ", "%20"));
        if (u.getScheme() == null || "file".equals(u.getScheme())) {
            Path p = (u.getScheme() == null ? Path.of(data) : Path.of(u)).toAbsolutePath().normalize();
            if (!Files.isDirectory(p)) {
                throw new org.captchasolver.common.CaptchaException(data + " is not a folder: pass --data with a folder of images or a URI");
            }
            return new DataRoot(p.toUri().toString(), p.toString());
        }
        return new DataRoot(data.endsWith("/") ? data : data + "/", null);
    }

    /** The path below the root of a file Spark reports (it may spell file: URIs as file:/ or file:///). */
    String relative(String fileUri) {
        String a = normalise(fileUri);
        String root = normalise(uri);
        if (!root.endsWith("/")) {
            root = root + "/";
        }
        String rel = a.startsWith(root) ? a.substring(root.length()) : a;
        return java.net.URLDecoder.decode(rel.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String normalise(String s) {
        return s.replaceFirst("^file:/+", "file:/");
    }

    /** Where the files are, for display. */
    String display() {
        return local != null ? local : uri;
    }
}
