package org.captchasolver.generate;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Encodes the generator's own TYPE_INT_RGB (TYPE_INT_ARGB) images as 8-bit RGB (RGBA) PNG. The JDK's writer copies the
 * raster row by row and spends ~70% of generation time there; this one writes the scanlines
 * straight from the int buffer (Sub filter, fast deflate). Not thread-safe: one per thread.
 */
final class FastPngEncoder {
    private static final byte[] SIGNATURE = {(byte) 137, 80, 78, 71, 13, 10, 26, 10};

    private final Deflater deflater = new Deflater(1);
    private final CRC32 crc = new CRC32();
    private byte[] raw = new byte[0];
    private byte[] buf = new byte[64 * 1024];

    byte[] encode(BufferedImage img) {
        boolean alpha = img.getType() == BufferedImage.TYPE_INT_ARGB;
        if (!alpha && img.getType() != BufferedImage.TYPE_INT_RGB) {
            throw new IllegalArgumentException("expects TYPE_INT_RGB or TYPE_INT_ARGB");
        }
        int w = img.getWidth();
        int h = img.getHeight();
        int[] px = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
        int channels = alpha ? 4 : 3;
        int stride = 1 + channels * w;
        if (raw.length < stride * h) {
            raw = new byte[stride * h];
        }
        int o = 0;
        for (int y = 0; y < h; y++) {
            raw[o++] = 1; // Sub: each byte minus the same channel of the pixel to its left
            int pr = 0;
            int pg = 0;
            int pb = 0;
            int pa = 0;
            for (int x = 0, i = y * w; x < w; x++, i++) {
                int p = px[i];
                int r = (p >> 16) & 0xff;
                int g = (p >> 8) & 0xff;
                int b = p & 0xff;
                raw[o++] = (byte) (r - pr);
                raw[o++] = (byte) (g - pg);
                raw[o++] = (byte) (b - pb);
                pr = r;
                pg = g;
                pb = b;
                if (alpha) {
                    int a = p >>> 24;
                    raw[o++] = (byte) (a - pa);
                    pa = a;
                }
            }
        }
        deflater.reset();
        deflater.setInput(raw, 0, o);
        deflater.finish();
        ByteArrayOutputStream idat = new ByteArrayOutputStream(o / 4);
        while (!deflater.finished()) {
            int n = deflater.deflate(buf);
            idat.write(buf, 0, n);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(idat.size() + 64);
        out.writeBytes(SIGNATURE);
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8).put((byte) (alpha ? 6 : 2))
                .put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(out, "IHDR", ihdr.array());
        chunk(out, "IDAT", idat.toByteArray());
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(t);
        out.writeBytes(data);
        crc.reset();
        crc.update(t);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
