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

    private static Rectangle2D extent(List<Shape> shapes) {
        Rectangle2D r = shapes.get(0).getBounds2D();
        for (Shape s : shapes) {
            r = r.createUnion(s.getBounds2D());
        }
        return r;
    }
}
