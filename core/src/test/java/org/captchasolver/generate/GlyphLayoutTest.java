package org.captchasolver.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Shape;
import java.awt.font.FontRenderContext;
import java.awt.geom.Rectangle2D;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GlyphLayoutTest {

    private static final FontRenderContext FRC = new FontRenderContext(null, true, true);
    private final GlyphLayout layout = new GlyphLayout(200, 100, CaptchaRenderer.fontFamilies());

    @Test
    void wideTextIsShrunkUntilEveryGlyphIsInsideTheCanvas() {
        int shrunk = 0;
        for (int seed = 0; seed < 200; seed++) {
            Random rnd = new Random(seed);
            String text = seed % 2 == 0 ? "MWMWMW" : "WmQmDw";
            Rectangle2D unfitted = extent(layout.layout(text, new Random(seed), FRC, 15, 1.0, -1000));
            Rectangle2D fitted = extent(layout.layout(text, rnd, FRC, 15, 1.0, 2));
            assertThat(fitted.getMinX()).isGreaterThanOrEqualTo(2 - 1e-6);
            assertThat(fitted.getMaxX()).isLessThanOrEqualTo(198 + 1e-6);
            assertThat(fitted.getMinY()).isGreaterThanOrEqualTo(2 - 1e-6);
            assertThat(fitted.getMaxY()).isLessThanOrEqualTo(98 + 1e-6);
            if (unfitted.getWidth() > 196) {
                shrunk++;
            }
        }
        // Six wide glyphs at the base size really overflow, so the fit is exercised, not assumed.
        assertThat(shrunk).isGreaterThan(100);
    }

    @Test
    void textThatFitsKeepsItsRandomPlaceAndSize() {
        for (int seed = 0; seed < 50; seed++) {
            Rectangle2D free = extent(layout.layout("ab3", new Random(seed), FRC, 15, 1.0, -1000));
            Rectangle2D fitted = extent(layout.layout("ab3", new Random(seed), FRC, 15, 1.0, 2));
            assertThat(fitted).isEqualTo(free);
        }
    }

    @Test
    void glyphsOfEverySizeShareTheFontsOfOneSizeSoThatJava2dKeepsFewStrikes() throws Exception {
        long before = liveFontStrikes();
        CaptchaRenderer[] renderers = {new CaptchaRenderer(200, 100), new CaptchaRenderer(131, 47)};
        Random rnd = new Random(3);
        for (int i = 0; i < 600; i++) {
            renderers[i % 2].render("Ab3xK9q".substring(0, 3 + i % 5), CaptchaStyle.values()[i % CaptchaStyle.values().length], rnd);
        }
        // A font derived at each glyph's random size gave Java2D a strike per glyph (thousands here), held until the
        // heap ran short: a million images filled a 4 GB heap. One size per font and style bounds them.
        int fonts = CaptchaRenderer.mixedFontFamilies().size() + CaptchaRenderer.fontFamilies().size();
        assertThat(liveFontStrikes() - before).isLessThan(8L * fonts + 50);
    }

    /** Java2D's font strikes alive after a full collection, from the JVM's class histogram. */
    private static long liveFontStrikes() throws Exception {
        var server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        String histogram = (String) server.invoke(new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"),
                "gcClassHistogram", new Object[] {new String[0]}, new String[] {String[].class.getName()});
        long strikes = 0;
        for (String line : histogram.lines().toList()) {
            String[] f = line.trim().split("\\s+"); // rank, instances, bytes, class name, module
            if (f.length >= 4 && f[3].equals("sun.font.FileFontStrike")) {
                strikes += Long.parseLong(f[1]);
            }
        }
        return strikes;
    }

    private static Rectangle2D extent(List<Shape> shapes) {
        Rectangle2D r = shapes.get(0).getBounds2D();
        for (Shape s : shapes) {
            r = r.createUnion(s.getBounds2D());
        }
        return r;
    }
}
