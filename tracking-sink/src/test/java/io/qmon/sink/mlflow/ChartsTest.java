package io.qmon.sink.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qmon.schemas.Histogram;
import io.qmon.schemas.SweepSummary;
import java.awt.GraphicsEnvironment;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.Range;
import org.jfree.data.category.CategoryDataset;
import org.jfree.data.xy.XYDataset;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.junit.jupiter.api.Test;
import org.mlflow.api.proto.Service.Metric;

/** The charts' datasets (what they draw) and their PNGs (valid, of the expected size). */
class ChartsTest {
  private static BufferedImage decode(byte[] png) throws Exception {
    assertEquals((byte) 0x89, png[0]);
    assertEquals("PNG", new String(png, 1, 3, java.nio.charset.StandardCharsets.US_ASCII));
    return ImageIO.read(new ByteArrayInputStream(png));
  }

  private static void assertPng(JFreeChart chart) throws Exception {
    BufferedImage image = decode(Charts.png(chart));
    assertEquals(Charts.WIDTH, image.getWidth());
    assertEquals(Charts.HEIGHT, image.getHeight());
    assertEquals(RectangleEdge.BOTTOM, chart.getLegend().getPosition(), "legend off the data");
  }

  @Test
  void shouldRenderHeadless() throws Exception {
    assertTrue(Charts.png(new JFreeChart(new XYPlot())).length > 0);
    assertTrue(GraphicsEnvironment.isHeadless());
  }

  @Test
  void shouldLabelOutcomesAsBitstringsOfTheRunsQubits() throws Exception {
    Histogram histogram =
        Histogram.newBuilder()
            .setEpoch(10)
            .setShots(200)
            .setOutcomes(List.of(0L, 5L, 7L))
            .setCounts(List.of(100L, 60L, 40L))
            .setTarget(List.of(0.25, 0.25, 0.5))
            .build();
    DistributionView view = DistributionView.of(histogram, 3, Charts.MAX_BARS);
    JFreeChart chart = Charts.distribution("t", view, false);
    CategoryDataset data = ((CategoryPlot) chart.getPlot()).getDataset();
    assertEquals(List.of("000", "101", "111"), data.getColumnKeys());
    assertEquals(List.of(Charts.TARGET, Charts.GENERATED), data.getRowKeys());
    assertEquals(0.5, data.getValue(Charts.GENERATED, "000").doubleValue(), 1e-12);
    assertEquals(0.3, data.getValue(Charts.GENERATED, "101").doubleValue(), 1e-12);
    assertEquals(0.5, data.getValue(Charts.TARGET, "111").doubleValue(), 1e-12);
    assertPng(chart);
  }

  @Test
  void shouldLabelOutcomesOfADiscretisedTargetByTheirValues() {
    Histogram histogram =
        Histogram.newBuilder()
            .setEpoch(1)
            .setShots(4)
            .setOutcomes(List.of(0L, 1L, 2L, 3L))
            .setCounts(List.of(1L, 1L, 1L, 1L))
            .setTarget(List.of(0.25, 0.25, 0.25, 0.25))
            .setLow(-1.0)
            .setHigh(2.0)
            .build();
    // Outcome x of 2 qubits stands for -1 + 3x/3 = -1, 0, 1, 2.
    assertEquals(
        List.of("-1.000", "0.000", "1.000", "2.000"),
        DistributionView.of(histogram, 2, Charts.MAX_BARS).labels());
  }

  @Test
  void shouldShowTheMostProbableOutcomesAndSumTheRestAsOtherAboveThirtyTwoOutcomes()
      throws Exception {
    int outcomes = 100;
    List<Long> xs = new ArrayList<>();
    List<Long> counts = new ArrayList<>();
    List<Double> target = new ArrayList<>();
    long shots = 0;
    double norm = 0;
    for (int x = 0; x < outcomes; x++) {
      norm += x + 1;
    }
    for (int x = 0; x < outcomes; x++) {
      xs.add((long) x);
      // Generated mass on even outcomes grows with x; the target is uniform-ish increasing.
      long c = x % 2 == 0 ? x : 0;
      counts.add(c);
      shots += c;
      target.add((x + 1) / norm);
    }
    Histogram histogram =
        Histogram.newBuilder()
            .setEpoch(20)
            .setShots(shots)
            .setOutcomes(xs)
            .setCounts(counts)
            .setTarget(target)
            .build();
    DistributionView view = DistributionView.of(histogram, 7, Charts.MAX_BARS);

    // Reference: rank by max(p, q), keep the 32 largest, sum the other 68.
    double[] score = new double[outcomes];
    for (int x = 0; x < outcomes; x++) {
      score[x] = Math.max(target.get(x), counts.get(x) / (double) shots);
    }
    List<Integer> order = new ArrayList<>();
    for (int x = 0; x < outcomes; x++) {
      order.add(x);
    }
    order.sort(
        (a, b) ->
            Double.compare(score[b], score[a]) != 0
                ? Double.compare(score[b], score[a])
                : Integer.compare(a, b));
    List<Integer> kept = new ArrayList<>(order.subList(0, 32));
    kept.sort(Integer::compare);
    double otherTarget = 0;
    double otherGenerated = 0;
    for (int x : order.subList(32, outcomes)) {
      otherTarget += target.get(x);
      otherGenerated += counts.get(x) / (double) shots;
    }

    assertEquals(33, view.labels().size());
    assertEquals(68, view.otherOutcomes());
    for (int i = 0; i < 32; i++) {
      String bits = String.format("%7s", Integer.toBinaryString(kept.get(i))).replace(' ', '0');
      assertEquals(bits, view.labels().get(i));
    }
    assertEquals("other (68)", view.labels().get(32));
    assertEquals(otherTarget, view.target().get(32), 1e-12);
    assertEquals(otherGenerated, view.generated().get(32), 1e-12);
    double total = view.target().stream().mapToDouble(Double::doubleValue).sum();
    assertEquals(1.0, total, 1e-9, "no target mass lost");

    JFreeChart chart = Charts.distribution("t", view, false);
    assertEquals(33, ((CategoryPlot) chart.getPlot()).getDataset().getColumnCount());
    assertPng(chart);
  }

  private static Metric point(String key, long step, double value) {
    return Metric.newBuilder().setKey(key).setStep(step).setValue(value).build();
  }

  @Test
  void shouldDrawDivergencesOnALogAxisWithTheFloorAsABandAndDropUndrawablePoints()
      throws Exception {
    Map<String, List<Metric>> values =
        Map.of(
            "jsd",
            List.of(
                point("jsd", 2, 0.1),
                point("jsd", 1, 0.4),
                point("jsd", 3, 0.0),
                point("jsd", 4, 0.01)),
            "kl",
            List.of(point("kl", 1, Double.POSITIVE_INFINITY), point("kl", 2, 0.5)));
    Map<String, List<Metric>> floors =
        Map.of(
            "jsd", List.of(point("jsd_noise_floor", 1, 0.002), point("jsd_noise_floor", 2, 0.002)));
    JFreeChart chart = Charts.divergences("t", new java.util.TreeMap<>(values), floors);
    XYPlot plot = (XYPlot) chart.getPlot();
    assertInstanceOf(LogAxis.class, plot.getRangeAxis());
    XYDataset curves = plot.getDataset(0);
    assertEquals(2, curves.getSeriesCount());
    assertEquals("jsd", curves.getSeriesKey(0));
    // Zero cannot sit on a log axis: 3 of 4 jsd points, sorted by epoch.
    assertEquals(3, curves.getItemCount(0));
    assertEquals(1.0, curves.getXValue(0, 0));
    assertEquals(0.4, curves.getYValue(0, 0));
    assertEquals(4.0, curves.getXValue(0, 2));
    assertEquals(1, curves.getItemCount(1), "the infinite KL point is left out");
    YIntervalSeriesCollection bands = (YIntervalSeriesCollection) plot.getDataset(1);
    assertEquals(1, bands.getSeriesCount());
    assertEquals("jsd" + Charts.FLOOR_BAND, bands.getSeriesKey(0));
    assertEquals(0.002, bands.getEndYValue(0, 0), 1e-12);
    double bottom = plot.getRangeAxis().getLowerBound();
    assertEquals(0.001, bottom, 1e-12, "half the smallest drawable value");
    assertEquals(bottom, bands.getStartYValue(0, 1), 1e-12);
    assertEquals(1.0, plot.getRangeAxis().getUpperBound(), 1e-12, "twice the largest");
    assertPng(chart);
  }

  @Test
  void shouldDrawSweepMeansWithTheirConfidenceIntervalsInRankOrder() throws Exception {
    SweepTable table =
        SweepTable.of(
            "e",
            List.of(
                summary(
                    "b",
                    2,
                    Map.of("final_ks_mean", 0.3, "final_ks_ci_low", 0.2, "final_ks_ci_high", 0.4)),
                summary("a", 1, Map.of("final_ks_mean", 0.1))));
    JFreeChart chart = Charts.sweep("t", table, List.of("final_ks"));
    CombinedDomainXYPlot plot = (CombinedDomainXYPlot) chart.getPlot();
    YIntervalSeriesCollection data =
        (YIntervalSeriesCollection) plot.getSubplots().get(0).getDataset();
    assertEquals(0.0, data.getXValue(0, 0), "rank 1 first");
    assertEquals(0.1, data.getYValue(0, 0), 1e-12);
    assertEquals(0.1, data.getEndYValue(0, 0), 1e-12, "one repeat: no interval");
    assertEquals(0.2, data.getStartYValue(0, 1), 1e-12);
    assertEquals(0.4, data.getEndYValue(0, 1), 1e-12);
    assertPng(chart);
  }

  @Test
  void shouldGiveAMetricEqualInEveryConfigurationARangeWithReadableTicks() throws Exception {
    SweepTable table =
        SweepTable.of(
            "e",
            List.of(
                summary("a", 1, Map.of("final_coverage_mean", 1.0, "final_coverage_std", 0.0)),
                summary("b", 2, Map.of("final_coverage_mean", 1.0, "final_coverage_std", 0.0))));
    JFreeChart chart = Charts.sweep("t", table, List.of("final_coverage"));
    XYPlot panel = ((CombinedDomainXYPlot) chart.getPlot()).getSubplots().get(0);
    Range range = panel.getRangeAxis().getRange();
    assertTrue(range.contains(1.0), range.toString());
    assertTrue(range.getLength() >= 0.1, "a tenth of the value at least: " + range);
    assertPng(chart);
  }

  static SweepSummary summary(String config, int rank, Map<String, Double> statistics) {
    return SweepSummary.newBuilder()
        .setExperiment("e")
        .setConfigId(config)
        .setRuns(3)
        .setStatistics(statistics)
        .setRank(rank)
        .setConfigurations(2)
        .setUpdatedTime(Instant.ofEpochMilli(TestRecords.T0))
        .build();
  }
}
