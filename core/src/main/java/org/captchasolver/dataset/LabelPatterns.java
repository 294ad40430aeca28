package org.captchasolver.dataset;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Naming conventions that put more than the label into a file name ({@code NFqm_1.png},
 * {@code 17-NFqm.png}, {@code NFqm-captcha.png}). Read as whole-name labels they would teach the
 * model characters the pictures never show, so the indexer refuses them and names the
 * {@code --label-regex} that reads the label out of the name.
 */
public final class LabelPatterns {
    /** Share of names that must follow a numbered convention for it to count. */
    static final double SHARE = 0.9;

    /**
     * A convention the names follow.
     *
     * @param description how the names look, such as {@code <label>_<n>}
     * @param regex       a {@code --label-regex} whose group 1 is the label
     * @param example     one of the names
     * @param matching    how many names follow it
     * @param names       how many names were looked at
     * @param extraChars  characters that whole-name labels would add to the alphabet
     */
    public record Convention(String description, String regex, String example, int matching, int names, String extraChars) {
        /** One line for the user: what the names look like, what it would do, and the options that fix it. */
        public String advice(String folder) {
            String growth = extraChars.isEmpty() ? "labels would include the numbering"
                    : "labels would add '" + extraChars + "' to the alphabet";
            return "file names in " + folder + " look like " + description + " (" + example + ", " + matching + " of "
                    + names + "): read as whole names, their " + growth + ". Pass --label-regex '" + regex
                    + "' to read the label from each name (or --label-regex '^(.*)$' to keep whole names, or a labels.csv)";
        }
    }

    private record Numbered(String description, Pattern pattern) {}

    private static final List<Numbered> NUMBERED = List.of(
            new Numbered("<label>_<n>", Pattern.compile("^(.+)_\\d+$")),
            new Numbered("<n>_<label>", Pattern.compile("^\\d+_(.+)$")),
            new Numbered("<label>-<n>", Pattern.compile("^(.+)-\\d+$")),
            new Numbered("<n>-<label>", Pattern.compile("^\\d+-(.+)$")));

    private static final Pattern REPEAT = Pattern.compile("^(.+)_\\d+$");

    private LabelPatterns() {}

    /**
     * The convention that the file names (without extension) follow, if any: the generator's
     * {@code <label>.png} with {@code <label>_<n>.png} for a repeated label; {@code <label>_<n>},
     * {@code <n>_<label>}, {@code <label>-<n>} or {@code <n>-<label>} in at least 90% of the names; or a
     * suffix or prefix that every name shares and that starts at a separator.
     *
     * @param stems file names without extension, as whole-name labelling would read them
     */
    public static Optional<Convention> detect(List<String> stems) {
        if (stems.size() < 2) {
            return Optional.empty();
        }
        Optional<Convention> found = numbered(stems);
        if (found.isEmpty()) {
            found = repeats(stems);
        }
        if (found.isEmpty()) {
            found = sharedAffix(stems);
        }
        return found;
    }

    /** Two passes, holding only the names that end in a number: a million names are not copied. */
    private static Optional<Convention> repeats(List<String> stems) {
        java.util.Map<String, String> bases = new java.util.HashMap<>();
        for (String s : stems) {
            Matcher m = REPEAT.matcher(s);
            if (m.matches()) {
                bases.putIfAbsent(m.group(1), s);
            }
        }
        for (String s : stems) {
            String numbered = bases.get(s);
            if (numbered != null) {
                String regex = "^(.+?)(?:_\\d+)?$";
                return Optional.of(convention("<label> and <label>_<n> for a repeated label", regex, numbered, stems));
            }
        }
        return Optional.empty();
    }

    private static Optional<Convention> numbered(List<String> stems) {
        long allowedMisses = (long) Math.floor((1 - SHARE) * stems.size());
        for (Numbered n : NUMBERED) {
            long misses = 0;
            String example = null;
            for (String s : stems) {
                if (n.pattern().matcher(s).matches()) {
                    example = example == null ? s : example;
                } else if (++misses > allowedMisses) {
                    break; // most names are plain labels: this stops after a tenth of them
                }
            }
            if (misses <= allowedMisses && example != null) {
                return Optional.of(convention(n.description(), n.pattern().pattern(), example, stems));
            }
        }
        return Optional.empty();
    }

    private static Optional<Convention> sharedAffix(List<String> stems) {
        String suffix = stems.get(0);
        String prefix = stems.get(0);
        for (String s : stems) {
            while (!s.endsWith(suffix)) {
                suffix = suffix.substring(1);
            }
            while (!s.startsWith(prefix)) {
                prefix = prefix.substring(0, prefix.length() - 1);
            }
        }
        int cut = firstSeparator(suffix);
        if (cut >= 0 && suffix.length() - cut < stems.get(0).length()) {
            String tail = suffix.substring(cut);
            return Optional.of(convention("<label>" + tail, "^(.+)" + Pattern.quote(tail) + "$", stems.get(0), stems));
        }
        int end = lastSeparator(prefix);
        if (end >= 0 && end + 1 < stems.get(0).length()) {
            String head = prefix.substring(0, end + 1);
            return Optional.of(convention(head + "<label>", "^" + Pattern.quote(head) + "(.+)$", stems.get(0), stems));
        }
        return Optional.empty();
    }

    private static int firstSeparator(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isLetterOrDigit(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static int lastSeparator(String s) {
        for (int i = s.length() - 1; i >= 0; i--) {
            if (!Character.isLetterOrDigit(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static Convention convention(String description, String regex, String example, List<String> stems) {
        Pattern p = Pattern.compile(regex);
        Set<Character> whole = new TreeSet<>();
        Set<Character> read = new HashSet<>();
        int matching = 0;
        for (String s : stems) {
            s.chars().forEach(c -> whole.add((char) c));
            Matcher m = p.matcher(s);
            if (m.matches()) {
                matching++;
                m.group(1).chars().forEach(c -> read.add((char) c));
            }
        }
        whole.removeAll(read);
        StringBuilder extra = new StringBuilder();
        whole.forEach(extra::append);
        return new Convention(description, regex, example, matching, stems.size(), extra.toString());
    }
}
