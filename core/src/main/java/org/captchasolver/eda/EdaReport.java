package org.captchasolver.eda;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.captchasolver.common.AtomicFiles;
import org.captchasolver.plot.Charts;
import org.captchasolver.plot.ImageGrid;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/** Writes {@code eda.json} and the EDA figures from {@link EdaStats}; shared by local and Spark EDA. */
public final class EdaReport {
    public static final String JSON = "eda.json";
    public static final String CHAR_FREQUENCY = "char_frequency.png";
    public static final String CHAR_FREQUENCY_ALL = "char_frequency_all.png";
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
            written.add(save(allCharacters(stats), dir.resolve(CHAR_FREQUENCY_ALL)));
        }

        if (!stats.lengthCounts().isEmpty()) {
            CategoryChart len = Charts.bar("Label length distribution", "characters", "images",
                    stats.lengthCounts().keySet().stream().map(String::valueOf).toList(),
                    new ArrayList<>(stats.lengthCounts().values()), Charts.GREEN, 800, 450);
            written.add(save(len, dir.resolve(LABEL_LENGTHS)));
        }

        if (!stats.sizeCounts().isEmpty()) {
            written.add(save(sizes(stats), dir.resolve(IMAGE_SIZES)));
        }

        if (stats.intensitySample() > 0) {
            written.add(save(histograms(stats), dir.resolve(CHANNEL_HISTOGRAMS)));
        }

        if (!samples.isEmpty()) {
            Path grid = dir.resolve(SAMPLE_GRID);
            AtomicFiles.writePng(grid, ImageGrid.draw("Sample CAPTCHAs", samples, 4, 220, 110));
            written.add(grid);
        }
        return written;
    }

    /** Every character, most frequent first, so that rare ones are seen too; the counts are on the bars. */
    static CategoryChart allCharacters(EdaStats stats) {
        List<Map.Entry<String, Long>> all = List.copyOf(stats.charCounts().entrySet());
        CategoryChart c = Charts.bar("All " + all.size() + " characters by frequency", "character", "count",
                all.stream().map(Map.Entry::getKey).toList(), all.stream().map(Map.Entry::getValue).toList(), Charts.BLUE,
                Math.max(1000, 24 * all.size() + 150), 500);
        c.getStyler().setLabelsVisible(all.size() <= 30);
        c.getStyler().setAvailableSpaceFill(0.7);
        return c;
    }

    /** One point per distinct width x height, with its count in the legend. */
    static XYChart sizes(EdaStats stats) {
        String channels = stats.channelCounts().entrySet().stream()
                .map(e -> e.getValue() + " with " + e.getKey() + (e.getKey() == 1 ? " channel" : " channels"))
                .collect(java.util.stream.Collectors.joining(", "));
        XYChart c = Charts.xy("Image sizes: " + stats.sizeCounts().size() + " distinct over " + stats.sizeSample() + " images ("
                + channels + ")", "width (px)", "height (px)", 900, 500);
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
        c.getStyler().setMarkerSize(12);
        List<Map.Entry<String, Long>> shown = stats.sizeCounts().entrySet().stream().limit(12).toList();
        double maxW = 0;
        double maxH = 0;
        for (Map.Entry<String, Long> e : shown) {
            String[] wh = e.getKey().split("x");
            double w = Double.parseDouble(wh[0]);
            double h = Double.parseDouble(wh[1]);
            maxW = Math.max(maxW, w);
            maxH = Math.max(maxH, h);
            XYSeries p = c.addSeries(e.getKey().replace("x", " x ") + ": " + e.getValue(), new double[] {w}, new double[] {h});
            p.setMarker(org.knowm.xchart.style.markers.SeriesMarkers.CIRCLE);
            p.setMarkerColor(Charts.PURPLE);
        }
        if (stats.sizeCounts().size() > shown.size()) {
            c.setTitle(c.getTitle() + "; the 12 commonest shown");
        }
        c.getStyler().setXAxisMin(0.0).setXAxisMax(maxW * 1.15 + 1).setYAxisMin(0.0).setYAxisMax(maxH * 1.15 + 1);
        return c;
    }

    /**
     * Intensity histograms per channel. Backgrounds pile most pixels into the end bins (white at 255); the
     * axis is scaled to the other bins so that the glyphs' range is visible, the end bins' share is
     * written in the legend, and the legend sits below the plot rather than on the data.
     */
    static XYChart histograms(EdaStats stats) {
        XYChart hist = Charts.xy("Pixel intensity per channel (" + stats.intensitySample() + " images)",
                "intensity (0-255)", "fraction of pixels", 1000, 560);
        java.awt.Color[] colors = {Charts.RED, Charts.GREEN, Charts.BLUE};
        double[] x = new double[256];
        for (int i = 0; i < 256; i++) {
            x[i] = i;
        }
        double inner = 0;
        double ends = 0;
        for (int c = 0; c < 3; c++) {
            ChannelStats s = stats.channels().get(c);
            double[] y = new double[256];
            for (int i = 0; i < 256; i++) {
                y[i] = s.pixels() == 0 ? 0 : s.histogram()[i] / (double) s.pixels();
                if (i > 0 && i < 255) {
                    inner = Math.max(inner, y[i]);
                }
            }
            ends = Math.max(ends, Math.max(y[0], y[255]));
            String name = String.format("%s  mean %.1f  std %.1f  min %d  max %d  (at 0: %.1f%%, at 255: %.1f%%)", s.channel(),
                    s.mean(), s.std(), s.min(), s.max(), 100 * y[0], 100 * y[255]);
            XYSeries series = hist.addSeries(name, x, y);
            series.setLineColor(colors[c]);
            series.setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
        }
        hist.getStyler().setXAxisTickMarkSpacingHint(90);
        hist.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        hist.getStyler().setXAxisMin(0.0).setXAxisMax(255.0).setYAxisMin(0.0);
        if (inner > 0 && ends > inner * 1.25) {
            hist.getStyler().setYAxisMax(inner * 1.25);
            hist.setTitle(hist.getTitle() + ", end bins cut off: their shares are in the legend");
        }
        return hist;
    }

    private static Path save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path file) throws IOException {
        Charts.save(chart, file);
        return file;
    }
}
