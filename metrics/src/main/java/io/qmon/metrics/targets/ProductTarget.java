package io.qmon.metrics.targets;

import io.qmon.metrics.Distribution;
import io.qmon.metrics.TargetModel;
import io.qmon.metrics.ValueMapping;
import java.util.Arrays;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * A parametric target over up to 63 qubits: every qubit is measured 1 independently with its own
 * probability θ_k, P(x) = Π_k θ_k^{x_k}(1−θ_k)^{1−x_k}.
 *
 * <p>Why: it is the simplest target that cannot be enumerated at large n yet knows everything
 * {@link TargetModel} asks exactly: P(x) in O(n), H(P) = Σ_k h(θ_k), its modes by a pruned search,
 * and exact sampling. It is never enumerated, so metrics against it always take the lazy path.
 */
public final class ProductTarget implements TargetModel {
  /** Mode searches that would list more outcomes than this are refused. */
  public static final int MAX_MODES = 1_000_000;

  private final double[] theta;

  private ProductTarget(double[] theta) {
    this.theta = theta;
  }

  /**
   * @param theta θ_k = P(qubit k reads 1), one per qubit, each in [0, 1]
   */
  public static ProductTarget of(double... theta) {
    if (theta.length < 1 || theta.length > Distribution.MAX_QUBITS) {
      throw new IllegalArgumentException(
          "A product target needs 1.." + Distribution.MAX_QUBITS + " qubits, got " + theta.length);
    }
    for (int k = 0; k < theta.length; k++) {
      if (!(theta[k] >= 0 && theta[k] <= 1)) {
        throw new IllegalArgumentException("theta[" + k + "] = " + theta[k] + " is not in [0, 1].");
      }
    }
    return new ProductTarget(theta.clone());
  }

  @Override
  public String id() {
    return "product" + Arrays.toString(theta);
  }

  @Override
  public int qubits() {
    return theta.length;
  }

  @Override
  public double probabilityOf(long outcome) {
    if (outcome < 0 || (theta.length < 63 && outcome >>> theta.length != 0)) {
      return 0.0;
    }
    double p = 1;
    for (int k = 0; k < theta.length; k++) {
      p *= ((outcome >>> k) & 1) == 1 ? theta[k] : 1 - theta[k];
    }
    return p;
  }

  @Override
  public double supportSize() {
    int free = 0;
    for (double t : theta) {
      if (t > 0 && t < 1) {
        free++;
      }
    }
    return Math.pow(2, free);
  }

  @Override
  public double entropyBits() {
    double h = 0;
    for (double t : theta) {
      if (t > 0 && t < 1) {
        h -= (t * Math.log(t) + (1 - t) * Math.log(1 - t)) / Math.log(2);
      }
    }
    return h;
  }

  /** Independent qubits: the product of each qubit's θ² + (1 − θ)². */
  @Override
  public double collisionProbability() {
    double c = 1;
    for (double t : theta) {
      c *= t * t + (1 - t) * (1 - t);
    }
    return c;
  }

  /**
   * @throws IllegalArgumentException when more than {@link #MAX_MODES} outcomes reach the threshold
   */
  @Override
  public long[] modes(double threshold) {
    int n = theta.length;
    double[] bestSuffix = new double[n + 1];
    bestSuffix[n] = 1;
    for (int k = n - 1; k >= 0; k--) {
      bestSuffix[k] = bestSuffix[k + 1] * Math.max(theta[k], 1 - theta[k]);
    }
    long[][] found = {new long[16]};
    int[] count = {0};
    search(0, 0L, 1.0, threshold, bestSuffix, found, count);
    long[] modes = Arrays.copyOf(found[0], count[0]);
    Arrays.sort(modes);
    return modes;
  }

  private void search(
      int k,
      long prefix,
      double p,
      double threshold,
      double[] bestSuffix,
      long[][] found,
      int[] count) {
    if (p == 0 || p * bestSuffix[k] < threshold) {
      return;
    }
    if (k == theta.length) {
      if (count[0] == MAX_MODES) {
        throw new IllegalArgumentException(
            "More than "
                + MAX_MODES
                + " outcomes have p >= "
                + threshold
                + "; raise the threshold.");
      }
      if (count[0] == found[0].length) {
        found[0] = Arrays.copyOf(found[0], found[0].length * 2);
      }
      found[0][count[0]++] = prefix;
      return;
    }
    search(k + 1, prefix, p * (1 - theta[k]), threshold, bestSuffix, found, count);
    search(k + 1, prefix | (1L << k), p * theta[k], threshold, bestSuffix, found, count);
  }

  @Override
  public long sample(SplittableRandom random) {
    long x = 0;
    for (int k = 0; k < theta.length; k++) {
      if (random.nextDouble() < theta[k]) {
        x |= 1L << k;
      }
    }
    return x;
  }

  @Override
  public Optional<ValueMapping> valueMapping() {
    return Optional.empty();
  }

  @Override
  public Optional<Distribution> explicit() {
    return Optional.empty();
  }
}
