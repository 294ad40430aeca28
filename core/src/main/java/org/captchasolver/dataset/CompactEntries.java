package org.captchasolver.dataset;

import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.RandomAccess;

/**
 * Index entries packed into a few arrays (about 40 bytes per image instead of ~150 as objects), so
 * that a million-image index costs tens of MB, not hundreds; {@link #get} builds each entry when asked.
 * Append-only while an index is read, then used read-only.
 */
public final class CompactEntries extends AbstractList<IndexEntry> implements RandomAccess {
    private byte[] text = new byte[1 << 16];
    private int textEnd;
    private int[] fileStart = new int[1024];
    private int[] labelStart = new int[1024];
    private int[] width = new int[1024];
    private int[] height = new int[1024];
    private long[] bytes = new long[1024];
    private byte[] channelsAndSplit = new byte[1024];
    private int size;

    public void append(IndexEntry e) {
        if (size == fileStart.length) {
            int n = size * 2;
            fileStart = Arrays.copyOf(fileStart, n);
            labelStart = Arrays.copyOf(labelStart, n);
            width = Arrays.copyOf(width, n);
            height = Arrays.copyOf(height, n);
            bytes = Arrays.copyOf(bytes, n);
            channelsAndSplit = Arrays.copyOf(channelsAndSplit, n);
        }
        fileStart[size] = put(e.file());
        labelStart[size] = put(e.label());
        width[size] = e.width();
        height[size] = e.height();
        bytes[size] = e.bytes();
        // channels is -1 (header only) or 1..4; the split's ordinal goes in the high bits.
        channelsAndSplit[size] = (byte) ((e.split().ordinal() << 4) | ((e.channels() + 1) & 0x0f));
        size++;
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

    /** The split of entry {@code i}, without building the entry. */
    public Split split(int i) {
        return Split.values()[channelsAndSplit[i] >> 4];
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
        return new IndexEntry(file, label, width[i], height[i], (channelsAndSplit[i] & 0x0f) - 1, bytes[i], split(i));
    }

    @Override
    public int size() {
        return size;
    }
}
