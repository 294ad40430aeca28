package org.captchasolver.eda;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.captchasolver.plot.Charts;
import org.captchasolver.plot.ImageGrid;
import org.captchasolver.util.AtomicFiles;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/** Writes {@code eda.json} and the EDA figures from {@link EdaStats}; shared by local and Spark EDA. */
public final class EdaReport {
    public static final String JSON = "eda.json";
    public static final String CHAR_FREQUENCY = "char_frequency.png";
    public static final String LABEL_LENGTHS = "label_lengths.png";
    public static final String SAMPLE_GRID = "sample_grid.png";
    public static final String IMAGE_SIZES = "image_sizes.png";
    public static final String CHANNEL_HISTOGRAMS = "channel_histograms.png";

    private EdaReport() {}

    /** @return the files written */
    public static List<Path> write(EdaStats stats, List<ImageGrid.Cell> samples, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        Path json = dir.resolve(JSON);
        AtomicFiles.writeJson(json, stats);
        written.add(json);

        List<Map.Entry<String, Long>> top = stats.charCounts().entrySet().stream().limit(20).toList();
        if (!top.isEmpty()) {
            CategoryChart freq = Charts.bar("Top " + top.size() + " characters (of " + stats.distinctChars() + ")",
                    "character", "count", top.stream().map(Map.Entry::getKey).toList(),
                    top.stream().map(Map.Entry::getValue).toList(), Charts.BLUE, 1000, 500);
            written.add(save(freq, dir.resolve(CHAR_FREQUENCY)));
        }

        if (!stats.lengthCounts().isEmpty()) {
            CategoryChart len = Charts.bar("Label length distribution", "characters", "images",
                    stats.lengthCounts().keySet().stream().map(String::valueOf).toList(),
                    new ArrayList<>(stats.lengthCounts().values()), Charts.GREEN, 800, 450);
            written.add(save(len, dir.resolve(LABEL_LENGTHS)));
        }

        List<Map.Entry<String, Long>> sizes = stats.sizeCounts().entrySet().stream().limit(10).toList();
        if (!sizes.isEmpty()) {
            CategoryChart sz = Charts.bar("Image sizes (" + stats.sizeSample() + " images, channels "
                            + stats.channelCounts() + ")", "width x height", "images",
                    sizes.stream().map(Map.Entry::getKey).toList(), sizes.stream().map(Map.Entry::getValue).toList(),
                    Charts.PURPLE, 900, 450);
            written.add(save(sz, dir.resolve(IMAGE_SIZES)));
        }

        if (stats.intensitySample() > 0) {
            XYChart hist = Charts.xy("Pixel intensity per channel (" + stats.intensitySample() + " images)",
                    "intensity (0-255)", "fraction of pixels", 1000, 500);
            java.awt.Color[] colors = {Charts.RED, Charts.GREEN, Charts.BLUE};
            double[] x = new double[256];
            for (int i = 0; i < 256; i++) {
                x[i] = i;
            }
            for (int c = 0; c < 3; c++) {
                ChannelStats s = stats.channels().get(c);
                double[] y = new double[256];
                for (int i = 0; i < 256; i++) {
                    y[i] = s.pixels() == 0 ? 0 : s.histogram()[i] / (double) s.pixels();
                }
                String name = String.format("%s  mean %.1f  std %.1f  min %d  max %d", s.channel(), s.mean(), s.std(), s.min(), s.max());
                XYSeries series = hist.addSeries(name, x, y);
                series.setLineColor(colors[c]);
                series.setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
            }
            hist.getStyler().setXAxisTickMarkSpacingHint(90);
            written.add(save(hist, dir.resolve(CHANNEL_HISTOGRAMS)));
        }

        if (!samples.isEmpty()) {
            Path grid = dir.resolve(SAMPLE_GRID);
            AtomicFiles.writePng(grid, ImageGrid.draw("Sample CAPTCHAs", samples, 4, 220, 110));
            written.add(grid);
        }
        return written;
    }

    private static Path save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path file) throws IOException {
        Charts.save(chart, file);
        return file;
    }
}
