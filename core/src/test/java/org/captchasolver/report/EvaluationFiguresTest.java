package org.captchasolver.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.captchasolver.plot.Charts;
import org.captchasolver.train.EpochMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;

class EvaluationFiguresTest {
    @TempDir Path tmp;

    private static List<EpochMetrics> history(double... losses) {
        List<EpochMetrics> out = new ArrayList<>();
        for (int i = 0; i < losses.length; i++) {
            out.add(new EpochMetrics(i + 1, losses[i], 0.5 / (i + 1), 0.5, 0.5, 0.5, List.of(0.5), 1e-3, 10, 100, 0, 0, 500));
        }
        return out;
    }

    @Test
    void lossCurvesUseALogScaleOnlyWhereEveryLossIsPositive() throws Exception {
        // Losses falling over decades read best on a log scale; a loss of exactly 0 (a model that fits every
        // image) or NaN (a diverged run) has no place on one, and the chart must still be drawn.
        Object[][] cases = {{history(3.0, 0.5, 0.02), true}, {history(3.0, 0.5, 0.0), false},
                {history(3.0, Double.NaN, 0.2), false}, {history(-0.4, -0.6), false}};
        for (int i = 0; i < cases.length; i++) {
            @SuppressWarnings("unchecked")
            XYChart chart = EvaluationFigures.lossChart((List<EpochMetrics>) cases[i][0]);
            assertThat(chart.getStyler().isYAxisLogarithmic()).as("case %d", i).isEqualTo(cases[i][1]);
            Path png = tmp.resolve("loss" + i + ".png");
            Charts.save(chart, png);
            BufferedImage img = ImageIO.read(png.toFile());
            assertThat(img.getWidth()).as("case %d", i).isEqualTo(900);
        }
    }

    @Test
    void aMisreadAnswerIsColouredByItsAlignmentSoOneInsertionMarksOneCharacter() {
        List<org.captchasolver.plot.ImageGrid.Run> runs = EvaluationFigures.alignedRuns("3gtw", "f3gtw");
        assertThat(runs).extracting(org.captchasolver.plot.ImageGrid.Run::text).containsExactly("f", "3", "g", "t", "w");
        java.awt.Color red = runs.get(0).color();
        java.awt.Color green = runs.get(1).color();
        assertThat(red).isNotEqualTo(green);
        assertThat(runs.subList(1, 5)).allMatch(r -> r.color().equals(green));
        List<org.captchasolver.plot.ImageGrid.Run> dropped = EvaluationFigures.alignedRuns("ddvqz", "dvqz");
        assertThat(dropped).extracting(org.captchasolver.plot.ImageGrid.Run::text).containsExactly("_", "d", "v", "q", "z");
        assertThat(dropped.get(0).color()).isEqualTo(red);
        assertThat(dropped.subList(1, 5)).allMatch(r -> r.color().equals(green));
    }

    @Test
    void theAccuracyChartShowsTrainingBesideValidationWhenTheRunRecordedIt() {
        List<EpochMetrics> withTraining = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            withTraining.add(new EpochMetrics(i + 1, 1, 1, 0.5, 0.6, 0.1, List.of(0.5), 1e-3, 10, 100, 0, 0, 500, 0.7, 0.8));
        }
        assertThat(EvaluationFigures.accuracyChart(withTraining).getSeriesMap().keySet())
                .containsExactly("training, characters", "training, sequences", "validation, characters", "validation, sequences");
        assertThat(EvaluationFigures.accuracyChart(history(1, 0.5)).getSeriesMap().keySet())
                .containsExactly("validation, characters", "validation, sequences");
    }
}
