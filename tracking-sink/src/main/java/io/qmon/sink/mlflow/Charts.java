package io.qmon.sink.mlflow;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.mlflow.api.proto.Service.Metric;

/**
 * The PNG charts of a run and of a sweep, drawn with JFreeChart off screen: real axes with ticks,
 * the legend below the plot (never over the data), outcome labels as bitstrings or mapped values,
 * divergences on a log axis with their shot-noise floor as a shaded band, sweep means with 95% CI
 * error bars. The builders return the {@link JFreeChart} so tests can read the datasets; {@link
 * #png} renders.
 */
final class Charts {
  static final int WIDTH = 1000;
  static final int HEIGHT = 560;

  /** Bars of a distribution chart before the least probable outcomes are summed into "other". */
  static final int MAX_BARS = 33;

  /** Series keys of the distribution chart. */
  static final String TARGET = "target";

  static final String GENERATED = "generated";

  /** Suffix of a floor band's series key in the divergence chart. */
  static final String FLOOR_BAND = " shot-noise floor";

  private static final Color[] PALETTE = {
    new Color(31, 119, 180),
    new Color(255, 127, 14),
    new Color(44, 160, 44),
    new Color(214, 39, 40),
    new Color(148, 103, 189),
    new Color(140, 86, 75)
  };

  static {
    // Charts are drawn on servers without a display; AWT must know before it initialises.
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  private Charts() {}

  /** Target and generated probabilities side by side, one pair of bars per outcome. */
  static JFreeChart distribution(String title, DistributionView view, boolean mappedValues) {
    DefaultCategoryDataset dataset = new DefaultCategoryDataset();
    for (int i = 0; i < view.labels().size(); i++) {
      dataset.addValue(view.target().get(i), TARGET, view.labels().get(i));
      dataset.addValue(view.generated().get(i), GENERATED, view.labels().get(i));
    }
    String domain = mappedValues ? "value" : "outcome (bitstring)";
    if (view.otherOutcomes() > 0) {
      domain += "; the " + view.otherOutcomes() + " least probable outcomes summed as 'other'";
    }
    CategoryAxis outcomes = new CategoryAxis(domain);
    outcomes.setCategoryLabelPositions(
        view.labels().size() > 12 ? CategoryLabelPositions.UP_90 : CategoryLabelPositions.STANDARD);
    outcomes.setMaximumCategoryLabelLines(1);
    outcomes.setTickLabelFont(new Font(Font.MONOSPACED, Font.PLAIN, 11));
    NumberAxis probability = new NumberAxis("probability");
    BarRenderer bars = new BarRenderer();
    bars.setBarPainter(new StandardBarPainter());
    bars.setShadowVisible(false);
    bars.setItemMargin(0.05);
    bars.setSeriesPaint(0, PALETTE[0]);
    bars.setSeriesPaint(1, PALETTE[1]);
    CategoryPlot plot = new CategoryPlot(dataset, outcomes, probability, bars);
    style(plot);
    return chart(title, plot, true);
  }

  /**
   * Divergence curves over epochs on a log axis, each with its shot-noise floor as a band from the
   * bottom of the axis up to the floor (a value inside its band is indistinguishable from sampling
   * noise). Points that cannot be drawn on a log axis (zero, negative, infinite) are left out.
   *
   * @param values metric key to its points
   * @param floors metric key to its floor's points (keys missing here get no band)
   */
  static JFreeChart divergences(
      String title, Map<String, List<Metric>> values, Map<String, List<Metric>> floors) {
    double lowest = Double.POSITIVE_INFINITY;
    double highest = 0;
    for (Map<String, List<Metric>> group : List.of(values, floors)) {
      for (List<Metric> points : group.values()) {
        for (Metric m : points) {
          if (drawable(m.getValue())) {
            lowest = Math.min(lowest, m.getValue());
            highest = Math.max(highest, m.getValue());
          }
        }
      }
    }
    if (highest == 0) {
      lowest = 1e-4;
      highest = 1;
    }
    double bottom = lowest / 2;
    XYSeriesCollection curves = new XYSeriesCollection();
    YIntervalSeriesCollection bands = new YIntervalSeriesCollection();
    XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, false);
    DeviationRenderer bandRenderer = new DeviationRenderer(true, false);
    bandRenderer.setAlpha(0.18f);
    int colour = 0;
    for (Map.Entry<String, List<Metric>> entry : values.entrySet()) {
      Paint paint = PALETTE[colour++ % PALETTE.length];
      XYSeries series = new XYSeries(entry.getKey(), true, false);
      for (Metric m : sorted(entry.getValue())) {
        if (drawable(m.getValue())) {
          series.add(m.getStep(), m.getValue());
        }
      }
      lines.setSeriesPaint(curves.getSeriesCount(), paint);
      lines.setSeriesStroke(curves.getSeriesCount(), new BasicStroke(2f));
      curves.addSeries(series);
      List<Metric> floor = floors.get(entry.getKey());
      if (floor != null && !floor.isEmpty()) {
        YIntervalSeries band = new YIntervalSeries(entry.getKey() + FLOOR_BAND, true, false);
        for (Metric m : sorted(floor)) {
          if (drawable(m.getValue())) {
            band.add(m.getStep(), m.getValue(), bottom, m.getValue());
          }
        }
        int index = bands.getSeriesCount();
        bandRenderer.setSeriesPaint(index, paint);
        bandRenderer.setSeriesFillPaint(index, paint);
        bandRenderer.setSeriesStroke(
            index,
            new BasicStroke(
                1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {5f, 4f}, 0f));
        bands.addSeries(band);
      }
    }
    NumberAxis epochs = new NumberAxis("epoch");
    epochs.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    epochs.setAutoRangeIncludesZero(false);
    LogAxis divergence = new LogAxis("divergence (log scale)");
    divergence.setSmallestValue(bottom);
    divergence.setRange(bottom, highest * 2);
    // One tick per decade (10^-3, 10^-2, ...) with minor ticks between: fractional exponents
    // such as 10^-2.3 are what JFreeChart picks by itself, and nobody reads them.
    divergence.setTickUnit(new NumberTickUnit(1.0));
    divergence.setMinorTickCount(9);
    divergence.setMinorTickMarksVisible(true);
    XYPlot plot = new XYPlot(curves, epochs, divergence, lines);
    plot.setDataset(1, bands);
    plot.setRenderer(1, bandRenderer);
    plot.setNoDataMessage("no divergence points yet");
    style(plot);
    return chart(title, plot, true);
  }

  /**
   * A sweep's configurations (x, in the table's order) against the mean of each metric with its 95%
   * confidence interval as error bars, one panel per metric; a configuration with a single repeat
   * has no interval and shows as a point.
   */
  static JFreeChart sweep(String title, SweepTable table, List<String> metrics) {
    List<SweepTable.Row> rows = table.rows();
    String[] names = rows.stream().map(SweepTable.Row::configId).toArray(String[]::new);
    SymbolAxis configurations = new SymbolAxis("configuration (by rank)", names);
    configurations.setVerticalTickLabels(names.length > 6);
    configurations.setGridBandsVisible(false);
    CombinedDomainXYPlot plot = new CombinedDomainXYPlot(configurations);
    plot.setGap(12);
    int colour = 0;
    for (String metric : metrics) {
      YIntervalSeries series = new YIntervalSeries(metric + " mean, 95% CI", false, false);
      double largest = 0;
      for (int i = 0; i < rows.size(); i++) {
        Map<String, Double> s = rows.get(i).statistics();
        Double mean = s.get(metric + SweepTable.MEAN);
        if (mean == null || !Double.isFinite(mean)) {
          continue;
        }
        double low = s.getOrDefault(metric + SweepTable.CI_LOW, mean);
        double high = s.getOrDefault(metric + SweepTable.CI_HIGH, mean);
        series.add(i, mean, low, high);
        largest = Math.max(largest, Math.max(Math.abs(low), Math.abs(high)));
      }
      YIntervalSeriesCollection dataset = new YIntervalSeriesCollection();
      dataset.addSeries(series);
      XYErrorRenderer renderer = new XYErrorRenderer();
      renderer.setDrawXError(false);
      renderer.setDefaultLinesVisible(false);
      renderer.setErrorStroke(new BasicStroke(1.5f));
      renderer.setCapLength(8);
      renderer.setSeriesPaint(0, PALETTE[colour++ % PALETTE.length]);
      NumberAxis axis = new NumberAxis(metric);
      axis.setAutoRangeIncludesZero(false);
      // Equal values everywhere (coverage 1 in every repeat) would get a range of 1e-8 whose
      // ticks all read "1E0": show at least a tenth of the values' size around them.
      axis.setAutoRangeMinimumSize(largest > 0 ? 0.1 * largest : 1.0);
      XYPlot panel = new XYPlot(dataset, null, axis, renderer);
      style(panel);
      plot.add(panel, 1);
    }
    JFreeChart chart = chart(title, plot, true);
    chart.addSubtitle(
        new TextTitle(
            "mean over repeats with its 95% Student-t confidence interval",
            new Font(Font.SANS_SERIF, Font.PLAIN, 12)));
    return chart;
  }

  /** The chart as a PNG of {@link #WIDTH} x {@link #HEIGHT} pixels. */
  static byte[] png(JFreeChart chart) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ChartUtils.writeChartAsPNG(out, chart, WIDTH, HEIGHT);
    return out.toByteArray();
  }

  private static boolean drawable(double value) {
    return value > 0 && Double.isFinite(value);
  }

  private static List<Metric> sorted(List<Metric> points) {
    List<Metric> copy = new ArrayList<>(points);
    copy.sort(Comparator.comparingLong(Metric::getStep).thenComparingLong(Metric::getTimestamp));
    return copy;
  }

  private static void style(org.jfree.chart.plot.Plot plot) {
    plot.setBackgroundPaint(Color.WHITE);
    if (plot instanceof XYPlot xy) {
      xy.setDomainGridlinePaint(Color.LIGHT_GRAY);
      xy.setRangeGridlinePaint(Color.LIGHT_GRAY);
    } else if (plot instanceof CategoryPlot category) {
      category.setRangeGridlinePaint(Color.LIGHT_GRAY);
    }
  }

  private static JFreeChart chart(String title, org.jfree.chart.plot.Plot plot, boolean legend) {
    JFreeChart chart =
        new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 16), plot, legend);
    chart.setBackgroundPaint(Color.WHITE);
    if (legend) {
      chart.getLegend().setPosition(RectangleEdge.BOTTOM);
    }
    return chart;
  }
}
