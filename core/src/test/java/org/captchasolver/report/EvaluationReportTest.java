package org.captchasolver.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.captchasolver.common.CaptchaException;
import org.captchasolver.common.Json;
import org.captchasolver.dataset.Split;
import org.captchasolver.eval.EvaluationMetrics;
import org.captchasolver.testing.Browser;
import org.captchasolver.testing.TestModels;
import org.captchasolver.util.Csv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluationReportTest {
    @TempDir Path tmp;

    @Test
    void numbersAgreeEverywhereAndRepeatExactly() throws Exception {
        Path model = TestModels.sharedCrnn();
        EvaluationMetrics a = EvaluationReport.run(model, new EvaluationReport.Target(null, Split.TEST), tmp.resolve("a"), TestModels.quiet());
        EvaluationMetrics b = EvaluationReport.run(model, new EvaluationReport.Target(null, Split.TEST), tmp.resolve("b"), TestModels.quiet());

        // Same bundle, same data: same numbers (timings aside).
        assertThat(b.sequenceAccuracy()).isEqualTo(a.sequenceAccuracy());
        assertThat(b.positionAccuracy()).isEqualTo(a.positionAccuracy());
        assertThat(b.loss()).isEqualTo(a.loss());
        assertThat(b.rocAuc()).isEqualTo(a.rocAuc());
        assertThat(Files.readString(tmp.resolve("b/predictions.csv"))).isEqualTo(Files.readString(tmp.resolve("a/predictions.csv")));

        // JSON on disk is what was returned.
        EvaluationMetrics json = Json.read(tmp.resolve("a/metrics/metrics.json"), EvaluationMetrics.class);
        assertThat(json.sequenceAccuracy()).isEqualTo(a.sequenceAccuracy());
        assertThat(a.images()).isEqualTo(25); // 12.5% of 200
        assertThat(a.valLoss()).isNotNull();

        // Recount from predictions.csv: sequence accuracy and per-position accuracy.
        List<String[]> rows = new ArrayList<>();
        Csv.read(tmp.resolve("a/predictions.csv"), h -> {}, rows::add);
        assertThat(rows).hasSize((int) a.images());
        long right = rows.stream().filter(r -> r[1].equals(r[2])).count();
        assertThat(right).isEqualTo(a.correct());
        assertThat(rows).allMatch(r -> Boolean.parseBoolean(r[4]) == r[1].equals(r[2]));
        for (int pos = 0; pos < a.positionAccuracy().size(); pos++) {
            int counted = 0;
            int ok = 0;
            for (String[] r : rows) { // r[1] truth, r[2] prediction; a position counts where the truth has one
                if (pos < r[1].length()) {
                    counted++;
                    if (pos < r[1].length() && pos < r[2].length() && r[1].charAt(pos) == r[2].charAt(pos)) {
                        ok++;
                    }
                }
            }
            assertThat(a.positionAccuracy().get(pos)).isCloseTo(ok / (double) counted, within(1e-12));
        }

        // The confusion matrix counts every evaluated character position once.
        long positions = rows.stream().mapToLong(r -> Math.max(r[1].length(), r[2].length())).sum();
        var confusion = Json.MAPPER.readTree(tmp.resolve("a/metrics/confusion.json").toFile());
        long total = 0;
        for (var row : confusion.get("overall")) {
            for (var v : row) {
                total += v.asLong();
            }
        }
        assertThat(total).isEqualTo(positions);

        // The report shows the JSON's numbers.
        String html = Files.readString(tmp.resolve("a/report.html"));
        assertThat(html).contains(String.format("%.4f (%d/%d)", a.sequenceAccuracy(), a.correct(), a.images()));
        assertThat(html).contains(String.format("%.4f", a.rocAuc()));
        for (String fig : List.of("final_metrics", "loss_curves", "accuracy_curves", "confusion_overall", "confusion_position_1",
                "position_accuracy", "roc", "pr", "reliability", "misclassified", "correct")) {
            BufferedImage img = ImageIO.read(tmp.resolve("a/figures/" + fig + ".png").toFile());
            assertThat(img).as(fig).isNotNull();
            assertThat(img.getWidth()).as(fig).isGreaterThan(300);
        }
        assertThat(a.rocAuc()).isBetween(0.5, 1.0);
    }

    @Test
    void reportRendersInHeadlessChromiumWithEveryImage() throws Exception {
        Browser.require();
        Path out = tmp.resolve("r");
        EvaluationReport.run(TestModels.sharedCrnn(), new EvaluationReport.Target(null, Split.TEST), out, TestModels.quiet());
        String url = out.resolve("report.html").toUri().toString();
        String dom = Browser.dumpDom(url, tmp);
        Matcher images = Pattern.compile("data-images=\"(\\d+)\"").matcher(dom);
        Matcher ok = Pattern.compile("data-images-ok=\"(\\d+)\"").matcher(dom);
        Matcher errors = Pattern.compile("data-js-errors=\"(\\d+)\"").matcher(dom);
        assertThat(images.find() && ok.find() && errors.find()).as("the page's load script ran").isTrue();
        assertThat(Integer.parseInt(images.group(1))).isGreaterThanOrEqualTo(11);
        assertThat(ok.group(1)).isEqualTo(images.group(1));
        assertThat(errors.group(1)).isEqualTo("0");
        Path shot = tmp.resolve("report.png");
        Browser.screenshot(url, shot, tmp);
        BufferedImage png = ImageIO.read(shot.toFile());
        assertThat(png.getWidth()).isEqualTo(1200);
    }

    @Test
    void labelsOutsideTheModelsCharsetAreCountedAsErrorsNotACrash() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("other"));
        org.captchasolver.generate.GeneratorConfig cfg = org.captchasolver.generate.GeneratorConfig.builder().count(10)
                .charset("abcxyz").length(3, 4).size(120, 40).seed(2).build();
        new org.captchasolver.generate.DatasetGenerator(cfg).generate(data);
        EvaluationMetrics m = EvaluationReport.run(TestModels.sharedCrnn(), new EvaluationReport.Target(data, null),
                tmp.resolve("o"), TestModels.quiet());
        long withUnknown = org.captchasolver.dataset.LabelManifest.read(data.resolve("labels.csv")).values().stream()
                .filter(l -> l.chars().anyMatch(c -> "xyz".indexOf(c) >= 0)).count();
        assertThat(withUnknown).isPositive();
        assertThat(m.outsideCharset()).isEqualTo(withUnknown);
        assertThat(m.images()).isEqualTo(10);
        assertThat(m.correct()).isLessThanOrEqualTo(10 - withUnknown);
    }

    @Test
    void missingModelIsAOneLineError() {
        assertThatThrownBy(() -> EvaluationReport.run(tmp.resolve("none"), new EvaluationReport.Target(null, Split.TEST),
                tmp.resolve("x"), TestModels.quiet())).isInstanceOf(CaptchaException.class).hasMessageContaining("none");
    }
}
