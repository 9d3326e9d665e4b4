package io.qmon.producers.train;

import io.qmon.metrics.Distribution;
import io.qmon.metrics.Divergences;

/**
 * A loss between a fixed target P and a generated distribution Q, both dense over 2^n outcomes.
 *
 * <ul>
 *   <li>KL: KL(P‖Q̃) in bits with Q̃ = (Q + ε)/(1 + 2^n ε), additive smoothing so that outcomes the
 *       shots missed give a large but finite loss; ε = {@value #DEFAULT_KL_EPSILON} by default. For
 *       a target with full support this is the metrics module's {@code KullbackLeibler} under
 *       {@code KlSmoothing.additive(ε)}; a dense loop here avoids building distributions per
 *       evaluation.
 *   <li>JSD: the Jensen–Shannon divergence in bits, computed by {@link Divergences#jensenShannon}.
 *   <li>MMD: MMD² = (P−Q)ᵀK(P−Q) with K a sum of Gaussian kernels exp(−(v_x−v_y)²/(2σ²)) on the
 *       outcome values v, with bandwidths σ = 0.25 and 4 grid steps as in Liu and Wang,
 *       "Differentiable learning of quantum circuit Born machines" (2018). The kernel matrix is 4^n
 *       doubles, so MMD is limited to {@value #MAX_MMD_QUBITS} qubits.
 * </ul>
 */
public final class LossFunction {
  /** Default additive smoothing of the KL loss. */
  public static final double DEFAULT_KL_EPSILON = 1e-4;

  /** Largest qubit count for which the MMD kernel matrix is built. */
  public static final int MAX_MMD_QUBITS = 12;

  private static final double[] MMD_BANDWIDTHS_IN_STEPS = {0.25, 4.0};

  private final Loss loss;
  private final int qubits;
  private final double[] target;
  private final Distribution targetDistribution;
  private final double klEpsilon;
  private final double[][] kernel;
  private final double[] diff;

  private LossFunction(Loss loss, Target target, double klEpsilon) {
    if (loss == null) {
      throw new IllegalArgumentException("loss must not be null");
    }
    if (target == null) {
      throw new IllegalArgumentException("target must not be null");
    }
    if (!(klEpsilon > 0)) {
      throw new IllegalArgumentException("klEpsilon must be > 0, got " + klEpsilon);
    }
    this.loss = loss;
    this.qubits = target.qubits();
    this.target = target.dense();
    this.targetDistribution = target.distribution();
    this.klEpsilon = klEpsilon;
    this.kernel = loss == Loss.MMD ? kernel(target) : null;
    this.diff = new double[this.target.length];
  }

  /** The given loss against {@code target}, with default settings. */
  public static LossFunction of(Loss loss, Target target) {
    return new LossFunction(loss, target, DEFAULT_KL_EPSILON);
  }

  /** The smoothed KL loss with a chosen ε. */
  public static LossFunction kl(Target target, double epsilon) {
    return new LossFunction(Loss.KL, target, epsilon);
  }

  public Loss loss() {
    return loss;
  }

  /** The loss of generated probabilities {@code q} (dense, 2^n entries, summing to 1). */
  public double evaluate(double[] q) {
    if (q.length != target.length) {
      throw new IllegalArgumentException(
          "q must have 2^" + qubits + " = " + target.length + " entries, got " + q.length);
    }
    return switch (loss) {
      case KL -> kl(q);
      case JSD -> Divergences.jensenShannon(targetDistribution, Distribution.dense(qubits, q));
      case MMD -> mmd(q);
    };
  }

  private double kl(double[] q) {
    double norm = 1 + target.length * klEpsilon;
    double sum = 0;
    for (int x = 0; x < target.length; x++) {
      double p = target[x];
      if (p > 0) {
        sum += p * Math.log(p * norm / (q[x] + klEpsilon));
      }
    }
    return sum / Math.log(2);
  }

  private double mmd(double[] q) {
    for (int x = 0; x < diff.length; x++) {
      diff[x] = target[x] - q[x];
    }
    double sum = 0;
    for (int x = 0; x < diff.length; x++) {
      if (diff[x] == 0) {
        continue;
      }
      double[] row = kernel[x];
      double inner = 0;
      for (int y = 0; y < diff.length; y++) {
        inner += row[y] * diff[y];
      }
      sum += diff[x] * inner;
    }
    return Math.max(0.0, sum);
  }

  private static double[][] kernel(Target target) {
    int n = target.qubits();
    if (n > MAX_MMD_QUBITS) {
      throw new IllegalArgumentException(
          "MMD needs a 4^n kernel matrix; qubits must be <= " + MAX_MMD_QUBITS + ", got " + n);
    }
    int size = 1 << n;
    double step = (target.high() - target.low()) / (size - 1);
    double[][] k = new double[size][size];
    for (int x = 0; x < size; x++) {
      for (int y = 0; y < size; y++) {
        double d = target.valueOf(x) - target.valueOf(y);
        double sum = 0;
        for (double steps : MMD_BANDWIDTHS_IN_STEPS) {
          double sigma = steps * step;
          sum += Math.exp(-d * d / (2 * sigma * sigma));
        }
        k[x][y] = sum;
      }
    }
    return k;
  }
}
