package org.captchasolver.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes images defensively: the dimensions are read from the header first, so a file that
 * declares a huge canvas (a decompression bomb) is refused before any pixel buffer is allocated.
 */
public final class ImageDecoder {

    /** 25 megapixels: far above any CAPTCHA, far below what would exhaust the heap. */
    public static final long DEFAULT_MAX_PIXELS = 25_000_000L;

    static {
        ImageIO.setUseCache(false); // decode in memory; the disk cache only adds I/O
    }

    private final long maxPixels;

    /** @param maxPixels the largest image, width times height, that is decoded; larger ones are refused from their header */
    public ImageDecoder(long maxPixels) {
        this.maxPixels = maxPixels;
    }

    /** A decoder with the {@value #DEFAULT_MAX_PIXELS}-pixel limit. */
    public static ImageDecoder defaults() {
        return new ImageDecoder(DEFAULT_MAX_PIXELS);
    }

    /** The largest image, in pixels, that is decoded. */
    public long maxPixels() {
        return maxPixels;
    }

    /** Reads only the header. */
    public ImageHeader probe(Path file) throws ImageRejectedException {
        try (InputStream in = Files.newInputStream(file)) {
            return probe(in);
        } catch (IOException e) { // opening or closing the file
            throw new ImageRejectedException(ImageRejectedException.Kind.UNREADABLE, e.getMessage());
        }
    }

    /**
     * Decodes an image file (PNG, JPEG, BMP or GIF) to RGB.
     *
     * @throws ImageRejectedException with the reason: empty, not an image, corrupt, too large or unreadable
     */
    public DecodedImage decode(Path file) throws ImageRejectedException {
        try (InputStream in = Files.newInputStream(file)) {
            return decode(in);
        } catch (IOException e) { // opening or closing the file
            throw new ImageRejectedException(ImageRejectedException.Kind.UNREADABLE, e.getMessage());
        }
    }

    /** Reads only the header of an image held in memory. */
    public ImageHeader probe(byte[] bytes) throws ImageRejectedException {
        return probe(new ByteArrayInputStream(bytes));
    }

    /**
     * Reads only the header from a stream, which is left open: the pixels are never read.
     *
     * @param in the encoded image, positioned at its first byte
     * @return the format and dimensions; channels are -1 (known only after decoding)
     * @throws ImageRejectedException with the reason: empty, not an image, corrupt, too large or unreadable
     */
    public ImageHeader probe(InputStream in) throws ImageRejectedException {
        try {
            return read(in, false).header();
        } catch (IOException e) {
            throw new ImageRejectedException(ImageRejectedException.Kind.UNREADABLE, e.getMessage());
        }
    }

    /**
     * Decodes an image from a stream, which is left open, to RGB.
     *
     * @param in the encoded image, positioned at its first byte
     * @throws ImageRejectedException with the reason: empty, not an image, corrupt, too large or unreadable
     */
    public DecodedImage decode(InputStream in) throws ImageRejectedException {
        try {
            return read(in, true);
        } catch (IOException e) {
            throw new ImageRejectedException(ImageRejectedException.Kind.UNREADABLE, e.getMessage());
        }
    }

    /**
     * Decodes encoded image bytes to RGB.
     *
     * @throws ImageRejectedException with the reason: empty, not an image, corrupt or too large
     */
    public DecodedImage decode(byte[] bytes) throws ImageRejectedException {
        return decode(new ByteArrayInputStream(bytes));
    }

    private DecodedImage read(InputStream in, boolean pixels) throws IOException, ImageRejectedException {
        try (ImageInputStream iis = ImageIO.createImageInputStream(in)) {
            if (iis == null) {
                throw new ImageRejectedException(ImageRejectedException.Kind.NOT_AN_IMAGE, "no image stream");
            }
            if (iis.length() == 0 || isEmpty(iis)) {
                throw new ImageRejectedException(ImageRejectedException.Kind.EMPTY, "file is empty");
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(iis);
            if (!readers.hasNext()) {
                throw new ImageRejectedException(ImageRejectedException.Kind.NOT_AN_IMAGE,
                        "content is not a known image format");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(iis, true, true);
                String format = reader.getFormatName().toLowerCase(java.util.Locale.ROOT);
                int width;
                int height;
                try {
                    width = reader.getWidth(0);
                    height = reader.getHeight(0);
                } catch (IOException | RuntimeException e) {
                    throw new ImageRejectedException(ImageRejectedException.Kind.UNDECODABLE,
                            "bad header: " + message(e));
                }
                if (width <= 0 || height <= 0) {
                    throw new ImageRejectedException(ImageRejectedException.Kind.UNDECODABLE,
                            "bad dimensions " + width + "x" + height);
                }
                if ((long) width * height > maxPixels) {
                    throw new ImageRejectedException(ImageRejectedException.Kind.TOO_LARGE,
                            width + "x" + height + " exceeds the " + maxPixels + "-pixel limit");
                }
                if (!pixels) {
                    return new DecodedImage(new ImageHeader(format, width, height, -1), null);
                }
                BufferedImage image;
                try {
                    image = reader.read(0);
                } catch (IOException | RuntimeException e) {
                    throw new ImageRejectedException(ImageRejectedException.Kind.UNDECODABLE, message(e));
                }
                int channels = image.getColorModel().getNumComponents();
                return new DecodedImage(new ImageHeader(format, width, height, channels), image);
            } finally {
                reader.dispose();
            }
        }
    }

    private static boolean isEmpty(ImageInputStream iis) throws IOException {
        iis.mark();
        int b = iis.read();
        iis.reset();
        return b < 0;
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m.lines().findFirst().orElse(""));
    }
}
