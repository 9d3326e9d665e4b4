package io.qmon.metrics;

/** Shannon entropy of an outcome distribution, as {@code scipy.stats.entropy(q, base=2)}. */
public final class Entropy {
  private Entropy() {}

  /** H(Q) = −Σ q log₂ q, in bits; in [0, n]. */
  public static double shannonBits(Distribution q) {
    double sum = 0;
    for (int i = 0; i < q.support(); i++) {
      double x = q.probability(i);
      sum -= x * Math.log(x);
    }
    return Math.max(0.0, sum / Math.log(2.0));
  }

  /** H(Q)/n: entropy per qubit, in [0, 1]; 1 for the uniform distribution. */
  public static double normalised(Distribution q) {
    return shannonBits(q) / q.qubits();
  }
}
