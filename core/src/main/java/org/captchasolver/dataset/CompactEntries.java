package org.captchasolver.dataset;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.RandomAccess;
import org.captchasolver.util.CsvRow;

/**
 * Index entries packed into a few arrays (about 40 bytes per image instead of ~150 as objects), so
 * that a million-image index costs tens of MB, not hundreds; {@link #get} builds each entry when asked.
 * Append-only while an index is read, then used read-only.
 */
public final class CompactEntries extends AbstractList<IndexEntry> implements RandomAccess {
    private static final Split[] SPLITS = Split.values(); // values() copies the array on every call

    private byte[] text;
    private int textEnd;
    private int[] fileStart;
    private int[] labelStart;
    private int[] width;
    private int[] height;
    private long[] bytes;
    private byte[] channelsAndSplit;
    private int size;

    public CompactEntries() {
        this(1024, 1 << 16);
    }

    /** Sized ahead (from the index file, say) so that a large index is not copied over and over as it grows. */
    public CompactEntries(int expectedEntries, int expectedTextBytes) {
        int n = Math.max(16, expectedEntries);
        text = new byte[Math.max(256, expectedTextBytes)];
        fileStart = new int[n];
        labelStart = new int[n];
        width = new int[n];
        height = new int[n];
        bytes = new long[n];
        channelsAndSplit = new byte[n];
    }

    public void append(IndexEntry e) {
        grow();
        fileStart[size] = put(e.file());
        labelStart[size] = put(e.label());
        set(e.width(), e.height(), e.channels(), e.bytes(), e.split());
    }

    /**
     * Appends an entry whose file and label are cells of a CSV row, without making strings of them:
     * reading a million-row index then leaves next to no garbage behind.
     */
    public void append(CsvRow row, int fileCell, int labelCell, int width, int height, int channels, long bytes, Split split) {
        grow();
        fileStart[size] = put(row, fileCell);
        labelStart[size] = put(row, labelCell);
        set(width, height, channels, bytes, split);
    }

    private void set(int w, int h, int channels, long b, Split split) {
        width[size] = w;
        height[size] = h;
        bytes[size] = b;
        // channels is -1 (header only) or 1..4; the split's ordinal goes in the high bits.
        channelsAndSplit[size] = (byte) ((split.ordinal() << 4) | ((channels + 1) & 0x0f));
        size++;
    }

    private void grow() {
        if (size == fileStart.length) {
            int n = size * 2;
            fileStart = Arrays.copyOf(fileStart, n);
            labelStart = Arrays.copyOf(labelStart, n);
            width = Arrays.copyOf(width, n);
            height = Arrays.copyOf(height, n);
            bytes = Arrays.copyOf(bytes, n);
            channelsAndSplit = Arrays.copyOf(channelsAndSplit, n);
        }
    }

    private int put(CsvRow row, int cell) {
        int start = textEnd;
        text = row.encodeUtf8(cell, text, textEnd);
        textEnd += row.utf8Length(cell);
        return start;
    }

    private int put(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (textEnd + b.length > text.length) {
            text = Arrays.copyOf(text, Math.max(text.length * 2, textEnd + b.length));
        }
        System.arraycopy(b, 0, text, textEnd, b.length);
        int start = textEnd;
        textEnd += b.length;
        return start;
    }

    int width(int i) {
        return width[i];
    }

    int height(int i) {
        return height[i];
    }

    int channels(int i) {
        return (channelsAndSplit[i] & 0x0f) - 1;
    }

    long bytes(int i) {
        return bytes[i];
    }

    /** The split of entry {@code i}, without building the entry. */
    public Split split(int i) {
        return SPLITS[channelsAndSplit[i] >> 4];
    }

    /**
     * Writes entry {@code i}'s file name or label, as UTF-8, CSV-quoted where needed, straight from the
     * packed bytes (for writing a large index without a string per entry).
     */
    void writeCsvCell(int i, boolean label, OutputStream out) throws IOException {
        int from = label ? labelStart[i] : fileStart[i];
        int to = label ? (i + 1 < size ? fileStart[i + 1] : textEnd) : labelStart[i];
        boolean quote = to > from && (text[from] == ' ' || text[to - 1] == ' ');
        for (int p = from; p < to && !quote; p++) {
            byte b = text[p];
            quote = b == ',' || b == '"' || b == '\n' || b == '\r';
        }
        if (!quote) {
            out.write(text, from, to - from);
            return;
        }
        out.write('"');
        for (int p = from; p < to; p++) {
            if (text[p] == '"') {
                out.write('"');
            }
            out.write(text[p]);
        }
        out.write('"');
    }

    /** The length of entry {@code i}'s label in UTF-16 units, as {@code String.length()}, without building it. */
    public int labelLength(int i) {
        int end = i + 1 < size ? fileStart[i + 1] : textEnd;
        int n = 0;
        for (int p = labelStart[i]; p < end; p++) {
            int b = text[p] & 0xff;
            if ((b & 0xc0) != 0x80) { // not a continuation byte: a character starts here
                n += b >= 0xf0 ? 2 : 1; // four-byte sequences are surrogate pairs in UTF-16
            }
        }
        return n;
    }

    @Override
    public IndexEntry get(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException(i);
        }
        int fileEnd = labelStart[i];
        int labelEnd = i + 1 < size ? fileStart[i + 1] : textEnd;
        String file = new String(text, fileStart[i], fileEnd - fileStart[i], StandardCharsets.UTF_8);
        String label = new String(text, fileEnd, labelEnd - fileEnd, StandardCharsets.UTF_8);
        return new IndexEntry(file, label, width[i], height[i], channels(i), bytes[i], split(i));
    }

    @Override
    public int size() {
        return size;
    }
}
