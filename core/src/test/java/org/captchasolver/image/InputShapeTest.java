package org.captchasolver.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class InputShapeTest {
    @Test
    void textAndParseAreEachOthersInverse() {
        InputShape shape = new InputShape(3, 48, 128);
        assertThat(shape.text()).isEqualTo("3x48x128");
        assertThat(InputShape.parse(shape.text())).isEqualTo(shape);
        assertThat(InputShape.parse("1X32X96")).isEqualTo(new InputShape(1, 32, 96));
    }

    @Test
    void malformedTextNamesTheOptionAndWhatItTakes() {
        for (String bad : new String[] {"48x128", "3x48x", "3xfortyx128", "3x48x128x1"}) {
            assertThatThrownBy(() -> InputShape.parse(bad)).hasMessage("--input takes CxHxW like 3x48x128, got '" + bad + "'");
        }
        assertThatThrownBy(() -> InputShape.parse("2x48x128")).hasMessageContaining("channels must be 1 or 3");
    }
}
