package io.qmon.metrics.stats;

import java.io.Serializable;

/**
 * A two-sided Student-t confidence interval for a mean.
 *
 * @param mean the sample mean
 * @param lower mean − t·s/√n
 * @param upper mean + t·s/√n
 * @param level the coverage, e.g. 0.95
 * @param count the number of observations n
 */
public record ConfidenceInterval(double mean, double lower, double upper, double level, long count)
    implements Serializable {

  /** Half the width, t_{(1+level)/2, n−1}·s/√n. */
  public double halfWidth() {
    return 0.5 * (upper - lower);
  }
}
