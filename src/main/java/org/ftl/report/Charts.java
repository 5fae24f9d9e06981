package org.ftl.report;

import org.ftl.decide.Metric;
import org.ftl.prune.Criterion;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The report's charts, each against "% of parameters left" on a log axis, drawn by XChart into a
 * BufferedImage (no window, so they render in a headless JVM) and returned as PNG bytes.
 */
final class Charts {
    static final int WIDTH = 900;
    static final int HEIGHT = 480;
    private static final String X = "% of parameters left (log scale)";
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
            new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b)};

    private Charts() {
    }

    /** (1) Test accuracy of the iou candidates, the baseline's as a horizontal line. */
    static byte[] accuracy(List<MetricsRow> iou, MetricsRow baseline) {
        XYChart chart = chart("Test accuracy of the iou candidates", "test accuracy");
        line(chart, Criterion.IOU.configName(), iou, r -> r.number(Metric.ACCURACY), PALETTE[0]);
        if (baseline != null) {
            horizontal(chart, String.format(java.util.Locale.ROOT, "baseline (%.3f)", baseline.number(Metric.ACCURACY)),
                    iou, baseline.number(Metric.ACCURACY), Color.DARK_GRAY);
        }
        return png(chart);
    }

    /** (2) Model size (left axis) and inference time (right axis). */
    static byte[] cost(List<MetricsRow> iou) {
        XYChart chart = chart("Model size and inference time (iou)", "size (KiB)");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        line(chart, "size (KiB), left axis", iou, r -> r.number(Metric.SIZE_BYTES) / 1024, PALETTE[0]);
        XYSeries latency = line(chart, "inference time (ms), right axis", iou, r -> r.number(Metric.LATENCY_MS), PALETTE[1]);
        if (latency != null) {
            latency.setYAxisGroup(1);
            chart.setYAxisGroupTitle(1, "inference time (ms)");
            chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        }
        return png(chart);
    }

    /** (3) % of filters left. */
    static byte[] filters(List<MetricsRow> iou) {
        XYChart chart = chart("Filters left (iou)", "% of filters left");
        line(chart, "% of filters left", iou, r -> 100 * r.number(Metric.FILTERS_RATIO), PALETTE[2]);
        return png(chart);
    }

    /** (4) The decision function's value, the winner (rank 1) marked. */
    static byte[] score(List<MetricsRow> iou, MetricsRow winner) {
        XYChart chart = chart("Decision function (score) of the iou candidates", "score");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSW);
        line(chart, "score", iou, r -> r.number(Metric.SCORE), PALETTE[4]);
        if (winner != null && finite(winner.paramsPercent()) && finite(winner.number(Metric.SCORE))) {
            double lo = iou.stream().mapToDouble(r -> r.number(Metric.SCORE)).filter(Charts::finite).min().orElse(winner.number(Metric.SCORE));
            XYSeries mark = chart.addSeries("winner (rank 1): " + winner.candidate(),
                    new double[] {winner.paramsPercent(), winner.paramsPercent()}, new double[] {lo, winner.number(Metric.SCORE)});
            mark.setLineColor(PALETTE[3]);
            mark.setMarker(SeriesMarkers.NONE);
            mark.setLineStyle(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
            XYSeries w = chart.addSeries(winner.candidate() + " score " + String.format(java.util.Locale.ROOT, "%.4f",
                    winner.number(Metric.SCORE)), new double[] {winner.paramsPercent()}, new double[] {winner.number(Metric.SCORE)});
            w.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            w.setMarker(SeriesMarkers.DIAMOND);
            w.setMarkerColor(PALETTE[3]);
        }
        return png(chart);
    }

    /** (5) F1 of every criterion, one line each, the baseline point included in each. */
    static byte[] criteria(Map<String, List<MetricsRow>> byCriterion, MetricsRow baseline) {
        XYChart chart = chart("Criteria compared: F1", "F1");
        int i = 0;
        for (Map.Entry<String, List<MetricsRow>> e : byCriterion.entrySet()) {
            List<MetricsRow> rows = new java.util.ArrayList<>(e.getValue());
            if (baseline != null) {
                rows.add(baseline);
            }
            XYSeries s = line(chart, e.getKey(), rows, r -> r.number(Metric.F1), PALETTE[i++ % PALETTE.length]);
            if (s != null && !Criterion.IOU.configName().equals(e.getKey())) {
                s.setLineStyle(new BasicStroke(1.5f));
            }
        }
        return png(chart);
    }

    /** F1 of every criterion over several splits: the mean, a bar of ± one standard deviation where it is known. */
    static byte[] criteriaSpread(List<CriteriaPage.Series> series, double baselineMean) {
        XYChart chart = chart("Criteria compared over splits: mean F1 ± std", "mean test F1");
        int i = 0;
        double lo = Double.POSITIVE_INFINITY;
        double hi = 100;
        for (CriteriaPage.Series c : series) {
            List<double[]> pts = new java.util.ArrayList<>();
            for (int k = 0; k < c.percent().length; k++) {
                if (finite(c.percent()[k]) && c.percent()[k] > 0 && finite(c.mean()[k])) {
                    pts.add(new double[] {c.percent()[k], c.mean()[k], finite(c.std()[k]) ? c.std()[k] : 0});
                }
            }
            if (pts.isEmpty()) {
                continue;
            }
            pts.sort(Comparator.comparingDouble(p -> p[0]));
            lo = Math.min(lo, pts.get(0)[0]);
            XYSeries s = chart.addSeries(c.criterion(), pts.stream().mapToDouble(p -> p[0]).toArray(),
                    pts.stream().mapToDouble(p -> p[1]).toArray(), pts.stream().mapToDouble(p -> p[2]).toArray());
            Color color = PALETTE[i++ % PALETTE.length];
            s.setLineColor(color);
            s.setMarkerColor(color);
            s.setMarker(SeriesMarkers.CIRCLE);
            if (!Criterion.IOU.configName().equals(c.criterion())) {
                s.setLineStyle(new BasicStroke(1.5f));
            }
        }
        if (finite(baselineMean) && finite(lo)) {
            XYSeries b = chart.addSeries(String.format(java.util.Locale.ROOT, "baseline (%.3f)", baselineMean),
                    new double[] {lo, hi}, new double[] {baselineMean, baselineMean});
            b.setLineColor(Color.DARK_GRAY);
            b.setMarker(SeriesMarkers.NONE);
            b.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        }
        return png(chart);
    }

    private static XYChart chart(String title, String yTitle) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(X).yAxisTitle(yTitle).build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesColor(new Color(0xdddddd));
        chart.getStyler().setMarkerSize(6);
        chart.getStyler().setXAxisDecimalPattern("0.##");
        return chart;
    }

    /** A line through the rows with a finite x and y, in x order; null when there are none. */
    private static XYSeries line(XYChart chart, String name, List<MetricsRow> rows, ToDoubleFunction<MetricsRow> y, Color color) {
        List<MetricsRow> points = rows.stream()
                .filter(r -> finite(r.paramsPercent()) && r.paramsPercent() > 0 && finite(y.applyAsDouble(r)))
                .sorted(Comparator.comparingDouble(MetricsRow::paramsPercent)).collect(Collectors.toList());
        if (points.isEmpty()) {
            return null;
        }
        XYSeries s = chart.addSeries(name, points.stream().mapToDouble(MetricsRow::paramsPercent).toArray(),
                points.stream().mapToDouble(y).toArray());
        s.setLineColor(color);
        s.setMarkerColor(color);
        s.setMarker(SeriesMarkers.CIRCLE);
        return s;
    }

    private static void horizontal(XYChart chart, String name, List<MetricsRow> rows, double y, Color color) {
        double lo = rows.stream().mapToDouble(MetricsRow::paramsPercent).filter(x -> finite(x) && x > 0).min().orElse(1);
        double hi = Math.max(100, rows.stream().mapToDouble(MetricsRow::paramsPercent).filter(Charts::finite).max().orElse(100));
        if (!finite(y)) {
            return;
        }
        XYSeries s = chart.addSeries(name, new double[] {lo, hi}, new double[] {y, y});
        s.setLineColor(color);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
    }

    static boolean finite(double d) {
        return !Double.isNaN(d) && !Double.isInfinite(d);
    }

    private static byte[] png(XYChart chart) {
        if (chart.getSeriesMap().isEmpty()) {
            // XChart refuses to draw a chart without series: say so in the picture instead
            chart.addSeries("no data", new double[] {1, 100}, new double[] {0, 0}).setMarker(SeriesMarkers.NONE);
        }
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, List<MetricsRow>> byCriterion(List<MetricsRow> ok, List<String> order) {
        Map<String, List<MetricsRow>> m = new LinkedHashMap<>();
        for (String c : order) {
            List<MetricsRow> rows = ok.stream().filter(r -> c.equals(r.criterion())).collect(Collectors.toList());
            if (!rows.isEmpty()) {
                m.put(c, rows);
            }
        }
        return m;
    }
}
