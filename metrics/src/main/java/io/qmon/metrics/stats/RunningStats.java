package io.qmon.metrics.stats;

import java.io.Serializable;

/**
 * Streaming count, mean, variance, minimum and maximum of one metric (Welford's update), mergeable
 * (Chan et al.'s pairwise formula) and serialisable as plain fields, so a keyed state or a sweep
 * aggregator can hold one per metric.
 *
 * <p>Why Welford: summing x and x² cancels catastrophically when the spread is small next to the
 * mean, which is exactly the case of a converged divergence.
 */
public final class RunningStats implements Serializable {
  private static final long serialVersionUID = 1L;

  private long count;
  private double mean;
  private double m2;
  private double min = Double.POSITIVE_INFINITY;
  private double max = Double.NEGATIVE_INFINITY;

  /** Adds one observation. */
  public void add(double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("Observation " + value + " is not finite.");
    }
    count++;
    double delta = value - mean;
    mean += delta / count;
    m2 += delta * (value - mean);
    min = Math.min(min, value);
    max = Math.max(max, value);
  }

  /** Folds another accumulator into this one, as if its observations had been added here. */
  public void merge(RunningStats other) {
    if (other.count == 0) {
      return;
    }
    if (count == 0) {
      count = other.count;
      mean = other.mean;
      m2 = other.m2;
      min = other.min;
      max = other.max;
      return;
    }
    long total = count + other.count;
    double delta = other.mean - mean;
    mean += delta * other.count / total;
    m2 += other.m2 + delta * delta * ((double) count * other.count / total);
    count = total;
    min = Math.min(min, other.min);
    max = Math.max(max, other.max);
  }

  /** An independent copy. */
  public RunningStats copy() {
    RunningStats c = new RunningStats();
    c.merge(this);
    return c;
  }

  public long count() {
    return count;
  }

  /** The mean; 0 before any observation. */
  public double mean() {
    return mean;
  }

  /** Sample variance with n − 1 in the denominator; 0 with fewer than two observations. */
  public double variance() {
    return count < 2 ? 0.0 : m2 / (count - 1);
  }

  /** Sample standard deviation (n − 1), as {@code numpy.std(x, ddof=1)}. */
  public double stddev() {
    return Math.sqrt(variance());
  }

  /** The smallest observation; +∞ before any. */
  public double min() {
    return min;
  }

  /** The largest observation; −∞ before any. */
  public double max() {
    return max;
  }

  /**
   * The Student-t interval mean ± t_{(1+level)/2, n−1}·s/√n, as {@code
   * scipy.stats.t.interval(level, n−1, loc=mean, scale=sem)}.
   *
   * @throws IllegalStateException with fewer than two observations
   */
  public ConfidenceInterval confidenceInterval(double level) {
    if (!(level > 0 && level < 1)) {
      throw new IllegalArgumentException("level must be in (0, 1), got " + level);
    }
    if (count < 2) {
      throw new IllegalStateException(
          "A confidence interval needs at least 2 observations, have " + count);
    }
    double half = StudentT.quantile(0.5 * (1 + level), count - 1) * stddev() / Math.sqrt(count);
    return new ConfidenceInterval(mean, mean - half, mean + half, level, count);
  }

  @Override
  public String toString() {
    return "RunningStats{count=" + count + ", mean=" + mean + ", stddev=" + stddev() + "}";
  }
}
