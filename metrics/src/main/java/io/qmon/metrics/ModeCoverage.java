package io.qmon.metrics;

import java.util.Arrays;

/**
 * Mode coverage: the share of target modes (outcomes with p ≥ threshold) that the model reaches
 * with q ≥ fraction·p, and the list of modes it misses.
 *
 * <p>Why: a generator can score a good divergence while dropping whole low-weight modes (mode
 * collapse); coverage names the modes it lost. Cost: one merge walk over the modes and Q's support.
 */
public final class ModeCoverage {
  private ModeCoverage() {}

  /**
   * @param threshold a mode is an outcome with p ≥ threshold; in (0, 1]
   * @param fraction a mode is reached when q ≥ fraction·p; in (0, 1]
   */
  public static CoverageResult of(
      TargetModel target, Distribution generated, double threshold, double fraction) {
    if (!(threshold > 0 && threshold <= 1)) {
      throw new IllegalArgumentException("threshold must be in (0, 1], got " + threshold);
    }
    if (!(fraction > 0 && fraction <= 1)) {
      throw new IllegalArgumentException("fraction must be in (0, 1], got " + fraction);
    }
    long[] modes = target.modes(threshold);
    double[] p = target.probabilitiesOf(modes);
    long[] missing = new long[modes.length];
    int missed = 0;
    // Modes and the generated outcomes are both ascending: one merge walk, no searching.
    int g = 0;
    int support = generated.support();
    for (int m = 0; m < modes.length; m++) {
      long mode = modes[m];
      while (g < support && generated.outcome(g) < mode) {
        g++;
      }
      double q = g < support && generated.outcome(g) == mode ? generated.probability(g) : 0;
      if (q < fraction * p[m]) {
        missing[missed++] = mode;
      }
    }
    double coverage = modes.length == 0 ? 1.0 : (modes.length - missed) / (double) modes.length;
    return new CoverageResult(coverage, modes.length, Arrays.copyOf(missing, missed));
  }
}
