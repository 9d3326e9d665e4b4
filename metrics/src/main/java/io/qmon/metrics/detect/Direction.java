package io.qmon.metrics.detect;

/**
 * Which deviations of a metric are bad: rises (divergences), falls (fidelity, coverage) or both.
 */
public enum Direction {
  UP,
  DOWN,
  BOTH;

  /**
   * True when {@code deviation} (value minus reference) goes the bad way by more than {@code by}.
   */
  boolean exceeds(double deviation, double by) {
    return switch (this) {
      case UP -> deviation > by;
      case DOWN -> -deviation > by;
      case BOTH -> Math.abs(deviation) > by;
    };
  }
}
