package org.captchasolver.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ProgressTest {
    @Test
    void rateCountsTheElapsedTimeToTheMillisecond() throws InterruptedException {
        List<String> lines = new CopyOnWriteArrayList<>();
        long start = System.nanoTime();
        try (Progress bar = Progress.bar("epoch 1/1", 1000, "img", lines::add)) {
            bar.step(300);
            Thread.sleep(1600);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        String last = lines.get(lines.size() - 1);
        Matcher m = Pattern.compile("([0-9.]+) img/s").matcher(last);
        assertThat(m.find()).as(last).isTrue();
        // 300 images in ~1.6 s: ~190 images/s. Whole seconds would have said 300.
        assertThat(Double.parseDouble(m.group(1))).as(last).isBetween(300 / seconds, 300 / 1.6 + 1);
        assertThat(last).contains("300/1000 img");
    }
}
