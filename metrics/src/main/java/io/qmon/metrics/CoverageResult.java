package io.qmon.metrics;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Mode coverage: which target modes the model reaches.
 *
 * @param coverage share of target modes the model reaches, in [0, 1]; 1 when the target has no mode
 *     at the threshold (nothing to miss)
 * @param modes number of target modes, outcomes with p ≥ threshold
 * @param missingModes the modes with q < fraction·p, in increasing order
 */
public record CoverageResult(double coverage, int modes, long[] missingModes)
    implements Serializable {

  public CoverageResult {
    missingModes = missingModes.clone();
  }

  @Override
  public long[] missingModes() {
    return missingModes.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CoverageResult c
        && Double.compare(c.coverage, coverage) == 0
        && c.modes == modes
        && Arrays.equals(c.missingModes, missingModes);
  }

  @Override
  public int hashCode() {
    return Double.hashCode(coverage) * 31 + modes * 17 + Arrays.hashCode(missingModes);
  }

  @Override
  public String toString() {
    return "CoverageResult{coverage="
        + coverage
        + ", modes="
        + modes
        + ", missingModes="
        + Arrays.toString(missingModes)
        + "}";
  }
}
