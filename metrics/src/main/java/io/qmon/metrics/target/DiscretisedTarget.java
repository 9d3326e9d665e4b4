package io.qmon.metrics.target;

import io.qmon.metrics.Distribution;
import java.util.function.DoubleUnaryOperator;

/**
 * A real-valued target density discretised on the 2^n outcomes of n qubits.
 *
 * <p>Outcome x maps to the grid point a + (b−a)/(2^n−1)·x, and P(x) is the density at that point,
 * normalised over the grid: the construction of Qiskit's {@code NormalDistribution} and {@code
 * LogNormalDistribution} circuits used in the qGAN literature (Zoufal et al., 2019).
 */
public final class DiscretisedTarget {
  private final String name;
  private final int qubits;
  private final double low;
  private final double high;
  private final DoubleUnaryOperator density;

  private DiscretisedTarget(
      String name, int qubits, double low, double high, DoubleUnaryOperator density) {
    if (qubits < 1 || qubits > 24) {
      throw new IllegalArgumentException(
          "A discretised target needs 1..24 qubits to be evaluated densely, got " + qubits);
    }
    if (!(high > low)) {
      throw new IllegalArgumentException("Domain [" + low + ", " + high + "] is empty.");
    }
    this.name = name;
    this.qubits = qubits;
    this.low = low;
    this.high = high;
    this.density = density;
  }

  /** Normal density with the given mean and standard deviation on [low, high]. */
  public static DiscretisedTarget normal(
      int qubits, double mean, double stddev, double low, double high) {
    checkPositive("stddev", stddev);
    return new DiscretisedTarget(
        "normal(" + mean + "," + stddev + ")", qubits, low, high, x -> gaussian(x, mean, stddev));
  }

  /** Log-normal density: ln X is normal with parameters mu and sigma. */
  public static DiscretisedTarget logNormal(
      int qubits, double mu, double sigma, double low, double high) {
    checkPositive("sigma", sigma);
    return new DiscretisedTarget(
        "lognormal(" + mu + "," + sigma + ")",
        qubits,
        low,
        high,
        x -> x <= 0 ? 0.0 : gaussian(Math.log(x), mu, sigma) / x);
  }

  /** An equal mixture of two normal densities with a common standard deviation. */
  public static DiscretisedTarget bimodal(
      int qubits, double mean1, double mean2, double stddev, double low, double high) {
    checkPositive("stddev", stddev);
    return new DiscretisedTarget(
        "bimodal(" + mean1 + "," + mean2 + "," + stddev + ")",
        qubits,
        low,
        high,
        x -> 0.5 * gaussian(x, mean1, stddev) + 0.5 * gaussian(x, mean2, stddev));
  }

  /** The uniform distribution over all 2^n outcomes. */
  public static DiscretisedTarget uniform(int qubits, double low, double high) {
    return new DiscretisedTarget("uniform", qubits, low, high, x -> 1.0);
  }

  /** The real value that outcome x stands for: a + (b−a)/(2^n−1)·x. */
  public double valueOf(long outcome) {
    long last = (1L << qubits) - 1;
    return low + (high - low) * outcome / last;
  }

  /** The normalised distribution over all 2^n outcomes. */
  public Distribution distribution() {
    double[] weights = new double[1 << qubits];
    for (int x = 0; x < weights.length; x++) {
      weights[x] = density.applyAsDouble(valueOf(x));
    }
    return Distribution.dense(qubits, weights);
  }

  public String name() {
    return name;
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

  private static double gaussian(double x, double mean, double stddev) {
    double z = (x - mean) / stddev;
    return Math.exp(-0.5 * z * z) / (stddev * Math.sqrt(2 * Math.PI));
  }

  private static void checkPositive(String field, double value) {
    if (!(value > 0)) {
      throw new IllegalArgumentException(field + " must be > 0, got " + value);
    }
  }
}
