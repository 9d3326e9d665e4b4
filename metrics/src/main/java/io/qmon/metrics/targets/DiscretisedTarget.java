package io.qmon.metrics.targets;

import io.qmon.metrics.Distribution;
import io.qmon.metrics.TargetModel;
import io.qmon.metrics.ValueMapping;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;

/**
 * A real-valued target density discretised on the 2^n outcomes of n qubits.
 *
 * <p>Outcome x maps to the grid point a + (b−a)/(2^n−1)·x, and P(x) is the density at that point,
 * normalised over the grid: the construction of Qiskit's {@code NormalDistribution} and {@code
 * LogNormalDistribution} circuits used in the qGAN literature (Zoufal et al., 2019).
 *
 * <p>As a {@link TargetModel} the grid is evaluated once, on first use, and kept: 16·2^n bytes (16
 * MiB at 20 qubits), which is why n is capped at 24.
 */
public final class DiscretisedTarget implements TargetModel {
  private final String name;
  private final int qubits;
  private final double low;
  private final double high;
  private final DoubleUnaryOperator density;
  private final ValueMapping mapping;
  private volatile ExplicitTarget evaluated;

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
    this.mapping = ValueMapping.linear(qubits, low, high);
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
    return mapping.valueOf(outcome);
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

  /** The name, qubit count and domain, e.g. {@code normal(0.5,0.2)[n=3,0.0..1.0]}. */
  @Override
  public String id() {
    return name + "[n=" + qubits + "," + low + ".." + high + "]";
  }

  @Override
  public int qubits() {
    return qubits;
  }

  @Override
  public double probabilityOf(long outcome) {
    return evaluated().probabilityOf(outcome);
  }

  @Override
  public double supportSize() {
    return evaluated().supportSize();
  }

  @Override
  public double entropyBits() {
    return evaluated().entropyBits();
  }

  @Override
  public double collisionProbability() {
    return evaluated().collisionProbability();
  }

  @Override
  public long[] modes(double threshold) {
    return evaluated().modes(threshold);
  }

  @Override
  public long sample(SplittableRandom random) {
    return evaluated().sample(random);
  }

  @Override
  public Optional<ValueMapping> valueMapping() {
    return Optional.of(mapping);
  }

  @Override
  public Optional<Distribution> explicit() {
    return evaluated().explicit();
  }

  private ExplicitTarget evaluated() {
    ExplicitTarget e = evaluated;
    if (e == null) {
      e = ExplicitTarget.of(id(), distribution(), mapping);
      evaluated = e;
    }
    return e;
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
