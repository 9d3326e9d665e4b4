package io.qmon.jobs.windows;

import io.qmon.metrics.stats.RunningStats;
import io.qmon.metrics.stats.StudentT;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last K epochs of a run, for sliding-window statistics of a few metrics: mean, variance, a
 * Student-t confidence interval of the mean, and the trend (least-squares slope per epoch, so a
 * negative JSD trend means the model is still improving).
 */
public final class EpochWindow implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Student t quantiles by (level, degrees of freedom): a window has one size, so few keys. */
  private static final Map<Long, Double> T_QUANTILES = new ConcurrentHashMap<>();

  private static final int STATISTICS_PER_METRIC = 5;

  /**
   * Output keys by metric name ({@code <metric>_mean, _variance, _ci_low, _ci_high, _trend}), made
   * once per JVM rather than per emission; not part of a window's (checkpointed) state.
   */
  private static final Map<String, String[]> KEYS = new ConcurrentHashMap<>();

  private final int size;
  private final List<String> metrics;

  private final ArrayDeque<Point> points = new ArrayDeque<>();
  private int sinceEmit;

  /** One epoch's values of the watched metrics, in the order of {@code metrics}; NaN if absent. */
  private record Point(int epoch, long eventTimeMillis, double[] values) implements Serializable {}

  public EpochWindow(int size, List<String> metrics) {
    if (size < 2) {
      throw new IllegalArgumentException("window size must be >= 2, got " + size);
    }
    this.size = size;
    this.metrics = List.copyOf(metrics);
  }

  /**
   * Adds an epoch; returns true when the window is full and {@code slide} epochs passed since the
   * last emission.
   */
  public boolean add(int epoch, long eventTimeMillis, Map<String, Double> values, int slide) {
    double[] kept = new double[metrics.size()];
    for (int m = 0; m < kept.length; m++) {
      Double value = values.get(metrics.get(m));
      kept[m] = value == null ? Double.NaN : value;
    }
    points.addLast(new Point(epoch, eventTimeMillis, kept));
    if (points.size() > size) {
      points.removeFirst();
    }
    sinceEmit++;
    if (points.size() == size && sinceEmit >= slide) {
      sinceEmit = 0;
      return true;
    }
    return false;
  }

  public int firstEpoch() {
    return points.getFirst().epoch();
  }

  public int lastEpoch() {
    return points.getLast().epoch();
  }

  public long lastEventTimeMillis() {
    return points.getLast().eventTimeMillis();
  }

  private static double tQuantile(double confidence, int degreesOfFreedom) {
    long key = Double.doubleToLongBits(confidence) * 31 + degreesOfFreedom;
    return T_QUANTILES.computeIfAbsent(
        key, k -> StudentT.quantile(0.5 * (1 + confidence), degreesOfFreedom));
  }

  private static String[] statisticKeys(String metric) {
    return new String[] {
      metric + "_mean",
      metric + "_variance",
      metric + "_ci_low",
      metric + "_ci_high",
      metric + "_trend"
    };
  }

  /** The statistics of every watched metric over the window, at the given confidence level. */
  public Map<String, Double> statistics(double confidence) {
    Map<String, Double> out = new HashMap<>(4 * STATISTICS_PER_METRIC * metrics.size() / 3 + 1);
    for (int m = 0; m < metrics.size(); m++) {
      RunningStats stats = new RunningStats();
      double sumX = 0;
      double sumY = 0;
      double sumXy = 0;
      double sumXx = 0;
      int n = 0;
      for (Point point : points) {
        double y = point.values()[m];
        if (Double.isNaN(y)) {
          continue;
        }
        stats.add(y);
        double x = point.epoch();
        sumX += x;
        sumY += y;
        sumXy += x * y;
        sumXx += x * x;
        n++;
      }
      if (n < 2) {
        continue;
      }
      double half = tQuantile(confidence, n - 1) * stats.stddev() / Math.sqrt(n);
      String[] key = KEYS.computeIfAbsent(metrics.get(m), EpochWindow::statisticKeys);
      out.put(key[0], stats.mean());
      out.put(key[1], stats.variance());
      out.put(key[2], stats.mean() - half);
      out.put(key[3], stats.mean() + half);
      double denominator = n * sumXx - sumX * sumX;
      out.put(key[4], denominator == 0 ? 0.0 : (n * sumXy - sumX * sumY) / denominator);
    }
    return out;
  }
}
