package org.captchasolver.plot;

import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.captchasolver.common.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;

/** The project's chart look, and saving charts as PNG atomically. */
public final class Charts {
    public static final Color BLUE = new Color(0x1f77b4);
    public static final Color ORANGE = new Color(0xff7f0e);
    public static final Color GREEN = new Color(0x2ca02c);
    public static final Color RED = new Color(0xd62728);
    public static final Color PURPLE = new Color(0x9467bd);
    public static final Color GRAY = new Color(0x7f7f7f);

    private Charts() {}

    public static CategoryChart bar(String title, String xTitle, String yTitle, int width, int height) {
        CategoryChart c = new CategoryChartBuilder().width(width).height(height).title(title)
                .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        style(c.getStyler());
        c.getStyler().setLegendVisible(false);
        c.getStyler().setLabelsVisible(true);
        c.getStyler().setLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        c.getStyler().setAvailableSpaceFill(0.8);
        return c;
    }

    /** A one-series bar chart. */
    public static CategoryChart bar(String title, String xTitle, String yTitle, List<String> categories,
                                    List<? extends Number> values, Color color, int width, int height) {
        CategoryChart c = bar(title, xTitle, yTitle, width, height);
        c.addSeries(yTitle, categories, values).setFillColor(color);
        return c;
    }

    public static XYChart xy(String title, String xTitle, String yTitle, int width, int height) {
        XYChart c = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        style(c.getStyler());
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        c.getStyler().setMarkerSize(4);
        return c;
    }

    private static void style(Styler s) {
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderVisible(false);
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        s.setAntiAlias(true);
    }

    public static BufferedImage render(Chart<?, ?> chart) {
        return BitmapEncoder.getBufferedImage(chart);
    }

    public static void save(Chart<?, ?> chart, Path file) throws IOException {
        AtomicFiles.writePng(file, render(chart));
    }
}
