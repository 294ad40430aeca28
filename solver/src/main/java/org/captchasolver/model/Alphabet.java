package org.captchasolver.model;

import java.util.Collection;
import java.util.TreeSet;

/**
 * The characters a model reads, in a fixed order. Class 0 of every model is reserved (CTC blank,
 * or "no character" past the end of a label), so character {@code i} of this alphabet is class {@code i + 1}:
 * padding can never be mistaken for a real character.
 */
public record Alphabet(String chars) {
    public Alphabet {
        if (chars == null || chars.isEmpty()) {
            throw new IllegalArgumentException("alphabet is empty");
        }
        if (chars.chars().distinct().count() != chars.length()) {
            throw new IllegalArgumentException("alphabet has repeated characters: " + chars);
        }
    }

    /** Sorted distinct characters of the labels: the same labels always give the same alphabet. */
    public static Alphabet infer(Collection<String> labels) {
        TreeSet<Character> set = new TreeSet<>();
        for (String l : labels) {
            for (char c : l.toCharArray()) {
                set.add(c);
            }
        }
        StringBuilder sb = new StringBuilder();
        set.forEach(sb::append);
        return new Alphabet(sb.toString());
    }

    /** Characters in the alphabet. */
    public int size() {
        return chars.length();
    }

    /** Number of model classes: the characters plus the reserved class 0. */
    public int classes() {
        return chars.length() + 1;
    }

    /** Class of a character, or -1 if it is not in the alphabet. */
    public int classOf(char c) {
        int i = chars.indexOf(c);
        return i < 0 ? -1 : i + 1;
    }

    /** The character of class {@code cls} (1-based; 0 is the blank or "no character"). */
    public char charOf(int cls) {
        return chars.charAt(cls - 1);
    }

    /** Whether every character of {@code label} is in the alphabet. */
    public boolean covers(String label) {
        for (int i = 0; i < label.length(); i++) {
            if (chars.indexOf(label.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }
}
