package io.qmon.metrics;

/**
 * Distances that treat outcomes as ordered numbers: the Kolmogorov–Smirnov statistic and the
 * Wasserstein-1 (earth mover's) distance.
 *
 * <p>Both walk the union of the two sparse supports once. Between consecutive support points both
 * CDFs are constant, so the supremum and the integral are exact over that union; the cost grows
 * with the number of distinct outcomes, not with 2^n.
 */
public final class OrderedDistances {
  private OrderedDistances() {}

  /**
   * KS = max_x |F_P(x) − F_Q(x)| over outcomes in increasing order; in [0, 1]. Any increasing value
   * mapping leaves it unchanged.
   */
  public static double kolmogorovSmirnov(Distribution p, Distribution q) {
    Divergences.checkSameQubits(p, q);
    double fp = 0;
    double fq = 0;
    double max = 0;
    int i = 0;
    int j = 0;
    while (i < p.support() || j < q.support()) {
      long po = i < p.support() ? p.outcome(i) : Long.MAX_VALUE;
      long qo = j < q.support() ? q.outcome(j) : Long.MAX_VALUE;
      long x = Math.min(po, qo);
      if (po == x) {
        fp += p.probability(i++);
      }
      if (qo == x) {
        fq += q.probability(j++);
      }
      max = Math.max(max, Math.abs(fp - fq));
    }
    return Math.min(1.0, max);
  }

  /**
   * W1 = ∫|F_P(v) − F_Q(v)| dv with outcome x at value {@code mapping.valueOf(x)}, in value units;
   * as {@code scipy.stats.wasserstein_distance(values, values, p, q)}.
   */
  public static double wasserstein1(Distribution p, Distribution q, ValueMapping mapping) {
    Divergences.checkSameQubits(p, q);
    if (mapping.qubits() != p.qubits()) {
      throw new IllegalArgumentException(
          "mapping is over " + mapping.qubits() + " qubits, distributions over " + p.qubits());
    }
    double fp = 0;
    double fq = 0;
    double sum = 0;
    double previousValue = 0;
    boolean started = false;
    int i = 0;
    int j = 0;
    while (i < p.support() || j < q.support()) {
      long po = i < p.support() ? p.outcome(i) : Long.MAX_VALUE;
      long qo = j < q.support() ? q.outcome(j) : Long.MAX_VALUE;
      long x = Math.min(po, qo);
      double value = mapping.valueOf(x);
      if (started) {
        sum += Math.abs(fp - fq) * (value - previousValue);
      }
      if (po == x) {
        fp += p.probability(i++);
      }
      if (qo == x) {
        fq += q.probability(j++);
      }
      previousValue = value;
      started = true;
    }
    return sum;
  }
}
