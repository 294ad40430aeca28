package org.captchasolver.util;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import org.junit.jupiter.api.Test;

class MemoryTest {
    private static final int CHUNK = 64 * 1024; // under glibc's mmap threshold: served from an arena
    private static final int CHUNKS = 3200; // 200 MB

    @Test
    void freedNativeMemoryLeavesTheProcessOnceTrimmed() {
        long[] chunks = new long[CHUNKS];
        for (int i = 0; i < CHUNKS; i++) {
            chunks[i] = Native.malloc(CHUNK);
            new Pointer(chunks[i]).setMemory(0, CHUNK, (byte) 1);
        }
        // The last chunk stays live at the top of the arena, so glibc's own trimming of a free top
        // cannot give the rest back: the pattern a long-lived tensor leaves behind.
        for (int i = 0; i < CHUNKS - 1; i++) {
            Native.free(chunks[i]);
        }
        try {
            long held = Memory.rssMb();
            Memory.releaseFreeNativePages();
            long trimmed = Memory.rssMb();

            assertThat(held).isPositive();
            assertThat(held - trimmed).as("MB returned of ~200 MB freed (RSS %d -> %d)", held, trimmed).isGreaterThan(120);
        } finally {
            Native.free(chunks[CHUNKS - 1]);
        }
    }
}
