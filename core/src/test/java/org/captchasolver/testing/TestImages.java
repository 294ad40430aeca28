package org.captchasolver.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32;
import org.captchasolver.generate.CaptchaStyle;
import org.captchasolver.generate.DatasetGenerator;
import org.captchasolver.generate.GeneratorConfig;

/** Real files on disk for tests: generated CAPTCHAs and deliberately broken images. */
public final class TestImages {
    private TestImages() {}

    public static DatasetGenerator.Result generate(Path dir, int count, long seed, CaptchaStyle... styles) throws IOException {
        GeneratorConfig cfg = GeneratorConfig.builder().count(count).seed(seed)
                .styles(styles.length == 0 ? List.of(CaptchaStyle.CLEAN) : List.of(styles)).build();
        return new DatasetGenerator(cfg).generate(dir);
    }

    /** A PNG whose header declares the given size, with valid CRCs, and no pixel data worth the name. */
    public static byte[] pngDeclaring(int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 137, 80, 78, 71, 13, 10, 26, 10});
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 2)
                .put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(out, "IHDR", ihdr.array());
        chunk(out, "IDAT", new byte[] {0x78, (byte) 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /** Copies the first half of a real PNG: the header is fine, the pixel data stops short. */
    public static void truncatedCopy(Path goodPng, Path target) throws IOException {
        byte[] all = Files.readAllBytes(goodPng);
        Files.write(target, java.util.Arrays.copyOf(all, all.length / 2));
    }

}
