package io.qmon.metrics;

import java.io.Serializable;

/**
 * Maps an outcome x of n qubits to the real value it stands for, a + (b−a)/(2^n−1)·x.
 *
 * <p>This is the grid of discretised real-valued targets (qGAN literature); the Kolmogorov–Smirnov
 * statistic and the Wasserstein-1 distance are taken over this ordering and, for W1, in these value
 * units.
 */
public final class ValueMapping implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int qubits;
  private final double low;
  private final double high;
  private final double step;

  private ValueMapping(int qubits, double low, double high) {
    if (qubits < 1 || qubits > Distribution.MAX_QUBITS) {
      throw new IllegalArgumentException(
          "Qubit count " + qubits + " is outside [1, " + Distribution.MAX_QUBITS + "].");
    }
    if (!(high > low) || Double.isInfinite(high - low)) {
      throw new IllegalArgumentException("Domain [" + low + ", " + high + "] is empty.");
    }
    this.qubits = qubits;
    this.low = low;
    this.high = high;
    this.step = (high - low) / lastOutcome(qubits);
  }

  /** The grid a + (b−a)/(2^n−1)·x over [low, high]. */
  public static ValueMapping linear(int qubits, double low, double high) {
    return new ValueMapping(qubits, low, high);
  }

  /** The outcome's own integer value, x ↦ x: the grid over [0, 2^n−1]. */
  public static ValueMapping integers(int qubits) {
    return new ValueMapping(qubits, 0.0, lastOutcome(qubits));
  }

  private static double lastOutcome(int qubits) {
    return qubits == Distribution.MAX_QUBITS
        ? (double) Long.MAX_VALUE
        : (double) ((1L << qubits) - 1);
  }

  /** The real value of outcome x. */
  public double valueOf(long outcome) {
    return low + step * outcome;
  }

  /** Distance between neighbouring grid points, (b−a)/(2^n−1). */
  public double step() {
    return step;
  }

  public int qubits() {
    return qubits;
  }

  public double low() {
    return low;
  }

  public double high() {
    return high;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ValueMapping m
        && m.qubits == qubits
        && Double.compare(m.low, low) == 0
        && Double.compare(m.high, high) == 0;
  }

  @Override
  public int hashCode() {
    return Double.hashCode(low) * 31 + Double.hashCode(high) * 17 + qubits;
  }

  @Override
  public String toString() {
    return "ValueMapping{qubits=" + qubits + ", low=" + low + ", high=" + high + "}";
  }
}
