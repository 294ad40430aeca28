package org.captchasolver.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ResamplerTest {

    /** Darkness (255 - red) summed over the whole image. */
    private static double ink(BufferedImage img) {
        double sum = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                sum += 255 - ((img.getRGB(x, y) >> 16) & 0xff);
            }
        }
        return sum;
    }

    private static BufferedImage white(int w, int h, int type) {
        BufferedImage img = new BufferedImage(w, h, type);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.dispose();
        return img;
    }

    @Test
    void aOnePixelLineKeepsItsInkWhereverItLiesWhenShrunk() {
        // 200x100 to 128x48, the default input: every source row and column must reach the output in
        // proportion, where sampling the nearest ones (Java2D's bilinear drawImage) drops some lines altogether.
        // The outermost rows and columns are left out: the filter is cut there and they weigh less.
        double scale = (200.0 / 128) * (100.0 / 48);
        for (int y = 3; y < 97; y++) {
            double expected = 160 * 255 / scale;
            assertThat(ink(Resampler.resize(line(true, y, BufferedImage.TYPE_3BYTE_BGR), 128, 48)))
                    .as("line at row %d", y).isCloseTo(expected, within(expected * 0.12));
        }
        for (int x = 3; x < 197; x++) {
            double expected = 80 * 255 / scale;
            assertThat(ink(Resampler.resize(line(false, x, BufferedImage.TYPE_INT_RGB), 128, 48)))
                    .as("line at column %d", x).isCloseTo(expected, within(expected * 0.12));
        }
    }

    /** A 200x100 white image with a black line: across row {@code at} (x 20-179), or down column {@code at} (y 10-89). */
    private static BufferedImage line(boolean across, int at, int type) {
        BufferedImage src = white(200, 100, type);
        for (int i = across ? 20 : 10; i < (across ? 180 : 90); i++) {
            src.setRGB(across ? i : at, across ? at : i, 0x000000);
        }
        return src;
    }

    @Test
    void aFlatColourStaysFlatAndTransparencyReadsAsWhite() {
        // 2100x1400 also takes the path for images too large to keep scratch buffers for.
        for (int[] from : new int[][] {{37, 23}, {2100, 1400}}) {
            BufferedImage flat = white(from[0], from[1], BufferedImage.TYPE_INT_RGB);
            Graphics2D g = flat.createGraphics();
            g.setColor(new Color(40, 120, 200));
            g.fillRect(0, 0, from[0], from[1]);
            g.dispose();
            for (int[] size : new int[][] {{128, 48}, {11, 7}, {37, 23}}) {
                BufferedImage out = Resampler.resize(flat, size[0], size[1]);
                assertThat(out.getWidth()).isEqualTo(size[0]);
                assertThat(out.getHeight()).isEqualTo(size[1]);
                for (int y = 0; y < size[1]; y++) {
                    for (int x = 0; x < size[0]; x++) {
                        assertThat(out.getRGB(x, y) & 0xffffff).isEqualTo(0x2878c8);
                    }
                }
            }
        }
        BufferedImage clear = new BufferedImage(50, 20, BufferedImage.TYPE_INT_ARGB);
        assertThat(Resampler.resize(clear, 25, 10).getRGB(3, 4) & 0xffffff).isEqualTo(0xffffff);
    }

    @Test
    void everyPixelIsTheFilteredSumOfItsSourceWithinOneLevel() {
        // Against the filter written out in doubles, pixel by pixel: shrinking by 1.5-2x (3-4 taps per
        // row, written out by hand), by 3x and more (a loop over the taps), enlarging, and mixed, from
        // both pixel layouts the resampler reads; noise, so that every tap's weight shows.
        Random random = new Random(7);
        int[][] cases = {{200, 100, 128, 48}, {213, 87, 128, 48}, {97, 41, 23, 9}, {30, 20, 77, 50}, {150, 40, 100, 64}};
        for (int[] c : cases) {
            for (int type : new int[] {BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_INT_RGB}) {
                BufferedImage src = new BufferedImage(c[0], c[1], type);
                for (int y = 0; y < c[1]; y++) {
                    for (int x = 0; x < c[0]; x++) {
                        src.setRGB(x, y, random.nextInt(1 << 24));
                    }
                }
                int[] rgb = src.getRGB(0, 0, c[0], c[1], null, 0, c[0]);
                BufferedImage out = Resampler.resize(src, c[2], c[3]);
                for (int y = 0; y < c[3]; y++) {
                    double[] wy = triangle(c[1], c[3], y);
                    for (int x = 0; x < c[2]; x++) {
                        double[] wx = triangle(c[0], c[2], x);
                        for (int shift = 0; shift < 24; shift += 8) {
                            double expected = 0;
                            for (int i = 0; i < c[1]; i++) {
                                for (int j = 0; j < c[0] && wy[i] > 0; j++) {
                                    expected += wy[i] * wx[j] * ((rgb[i * c[0] + j] >> shift) & 0xff);
                                }
                            }
                            assertThat((double) ((out.getRGB(x, y) >> shift) & 0xff))
                                    .as("%s type %d at %d,%d", Arrays.toString(c), type, x, y)
                                    .isCloseTo(expected, within(1.0));
                        }
                    }
                }
            }
        }
    }

    /** The normalised weights of every source pixel for output pixel {@code i}: a triangle as wide as the shrink. */
    private static double[] triangle(int src, int dst, int i) {
        double scale = (double) src / dst;
        double radius = Math.max(1, scale);
        double centre = (i + 0.5) * scale - 0.5;
        double[] w = new double[src];
        double sum = 0;
        for (int j = 0; j < src; j++) {
            w[j] = Math.max(0, 1 - Math.abs(j - centre) / radius);
            sum += w[j];
        }
        for (int j = 0; j < src; j++) {
            w[j] /= sum;
        }
        return w;
    }

    @Test
    void enlargingInterpolatesBetweenNeighbours() {
        BufferedImage two = white(2, 1, BufferedImage.TYPE_INT_RGB);
        two.setRGB(0, 0, 0x000000);
        BufferedImage out = Resampler.resize(two, 8, 1);
        int[] red = new int[8];
        for (int x = 0; x < 8; x++) {
            red[x] = (out.getRGB(x, 0) >> 16) & 0xff;
        }
        assertThat(red[0]).isZero();
        assertThat(red[7]).isEqualTo(255);
        for (int x = 1; x < 8; x++) {
            assertThat(red[x]).isGreaterThanOrEqualTo(red[x - 1]);
        }
        assertThat(red[3] + red[4]).isCloseTo(255, within(2));
    }

    @Test
    void theInputShapeSaysHowImagesAreShrunk() {
        // Bilinear sampling, kept for models trained with it, loses some one-pixel lines outright.
        InputShape bilinear = new InputShape(3, 48, 128, InputShape.Resampling.BILINEAR);
        InputShape antialiased = new InputShape(3, 48, 128);
        int lost = 0;
        for (int y = 3; y < 97; y++) {
            BufferedImage src = line(true, y, BufferedImage.TYPE_3BYTE_BGR);
            if (darkest(ImageTensors.toChw(src, bilinear)) > 0.99f) {
                lost++;
            }
            assertThat(darkest(ImageTensors.toChw(src, antialiased))).as("row %d", y).isLessThan(0.85f);
        }
        assertThat(lost).as("rows that bilinear sampling skips (4 of these 94)").isGreaterThanOrEqualTo(3);
    }

    private static float darkest(float[] chw) {
        float min = 1;
        for (float v : chw) {
            min = Math.min(min, v);
        }
        return min;
    }
}
