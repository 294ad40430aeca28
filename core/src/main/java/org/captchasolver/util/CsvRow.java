package org.captchasolver.util;

import java.util.Arrays;

/**
 * One data row of a CSV file as ranges of a reused character buffer, so that reading a million
 * rows allocates nothing per row. Valid only inside the handler it is passed to.
 */
public final class CsvRow {
    private char[] chars = new char[256];
    private int[] start = new int[16];
    private int[] end = new int[16];
    private int used;
    private int size;

    void clear() {
        used = 0;
        size = 0;
    }

    void beginCell() {
        if (size == start.length) {
            start = Arrays.copyOf(start, size * 2);
            end = Arrays.copyOf(end, size * 2);
        }
        start[size] = used;
    }

    void append(char c) {
        if (used == chars.length) {
            chars = Arrays.copyOf(chars, chars.length * 2);
        }
        chars[used++] = c;
    }

    void endCell() {
        end[size++] = used;
    }

    public int size() {
        return size;
    }

    /** True for a blank line: no cells, or one empty cell. */
    public boolean isBlank() {
        return size == 0 || (size == 1 && end[0] == start[0]);
    }

    public String string(int cell) {
        check(cell);
        return new String(chars, start[cell], end[cell] - start[cell]);
    }

    /** The cell as a whole number; throws NumberFormatException naming the text otherwise. */
    public long parseLong(int cell) {
        check(cell);
        int i = start[cell];
        int e = end[cell];
        while (i < e && chars[i] == ' ') {
            i++;
        }
        while (e > i && chars[e - 1] == ' ') {
            e--;
        }
        boolean negative = i < e && chars[i] == '-';
        if (negative) {
            i++;
        }
        if (i == e || e - i > 18) {
            throw new NumberFormatException("not a whole number: '" + string(cell) + "'");
        }
        long v = 0;
        for (; i < e; i++) {
            char c = chars[i];
            if (c < '0' || c > '9') {
                throw new NumberFormatException("not a whole number: '" + string(cell) + "'");
            }
            v = v * 10 + (c - '0');
        }
        return negative ? -v : v;
    }

    public int parseInt(int cell) {
        long v = parseLong(cell);
        if (v != (int) v) {
            throw new NumberFormatException("out of range: '" + string(cell) + "'");
        }
        return (int) v;
    }

    /** True if the cell's text equals {@code s}. */
    public boolean cellEquals(int cell, String s) {
        check(cell);
        int n = end[cell] - start[cell];
        if (n != s.length()) {
            return false;
        }
        for (int k = 0; k < n; k++) {
            if (chars[start[cell] + k] != s.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Appends the cell's UTF-8 encoding to {@code out} from position {@code at}, growing it as needed;
     * returns the (possibly new) array. The number of bytes written is {@link #utf8Length}.
     */
    public byte[] encodeUtf8(int cell, byte[] out, int at) {
        check(cell);
        int need = at + utf8Length(cell);
        byte[] dst = need > out.length ? Arrays.copyOf(out, Math.max(out.length * 2, need)) : out;
        int p = at;
        for (int i = start[cell]; i < end[cell]; i++) {
            char c = chars[i];
            if (c < 0x80) {
                dst[p++] = (byte) c;
            } else if (c < 0x800) {
                dst[p++] = (byte) (0xc0 | (c >> 6));
                dst[p++] = (byte) (0x80 | (c & 0x3f));
            } else if (Character.isHighSurrogate(c) && i + 1 < end[cell] && Character.isLowSurrogate(chars[i + 1])) {
                int cp = Character.toCodePoint(c, chars[++i]);
                dst[p++] = (byte) (0xf0 | (cp >> 18));
                dst[p++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
                dst[p++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
                dst[p++] = (byte) (0x80 | (cp & 0x3f));
            } else if (Character.isSurrogate(c)) {
                dst[p++] = '?'; // a lone surrogate has no UTF-8 form; String.getBytes writes '?' too
            } else {
                dst[p++] = (byte) (0xe0 | (c >> 12));
                dst[p++] = (byte) (0x80 | ((c >> 6) & 0x3f));
                dst[p++] = (byte) (0x80 | (c & 0x3f));
            }
        }
        return dst;
    }

    public int utf8Length(int cell) {
        check(cell);
        int n = 0;
        for (int i = start[cell]; i < end[cell]; i++) {
            char c = chars[i];
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < end[cell] && Character.isLowSurrogate(chars[i + 1])) {
                n += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                n++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    private void check(int cell) {
        if (cell < 0 || cell >= size) {
            throw new IllegalArgumentException("the row has " + size + " cells, no cell " + (cell + 1));
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < size; i++) {
            sb.append(i == 0 ? "" : ",").append(chars, start[i], end[i] - start[i]);
        }
        return sb.toString();
    }
}
