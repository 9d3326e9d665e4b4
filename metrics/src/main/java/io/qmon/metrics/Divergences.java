package io.qmon.metrics;

/**
 * Divergences between a target P and a generated distribution Q, in bits.
 *
 * <p>Each is one merge pass over the two sparse supports. Definitions follow scipy: {@link
 * #jensenShannon} is the square of {@code scipy.spatial.distance.jensenshannon(p, q, base=2)}.
 */
public final class Divergences {
  private static final double LN2 = Math.log(2.0);

  private Divergences() {}

  /**
   * Jensen–Shannon divergence ½KL(P‖M)+½KL(Q‖M) with M = ½(P+Q), in bits; always in [0, 1].
   *
   * @throws IllegalArgumentException when P and Q are over different qubit counts
   */
  public static double jensenShannon(Distribution p, Distribution q) {
    checkSameQubits(p, q);
    double sum = 0;
    int i = 0;
    int j = 0;
    while (i < p.support() || j < q.support()) {
      long po = i < p.support() ? p.outcome(i) : Long.MAX_VALUE;
      long qo = j < q.support() ? q.outcome(j) : Long.MAX_VALUE;
      if (po == qo) {
        double pi = p.probability(i++);
        double qj = q.probability(j++);
        double m = 0.5 * (pi + qj);
        sum += pi * Math.log(pi / m) + qj * Math.log(qj / m);
      } else if (po < qo) {
        // Only P has mass here: M = p/2, so the term is p ln 2.
        sum += p.probability(i++) * LN2;
      } else {
        sum += q.probability(j++) * LN2;
      }
    }
    double bits = 0.5 * sum / LN2;
    return Math.min(1.0, Math.max(0.0, bits));
  }

  static void checkSameQubits(Distribution p, Distribution q) {
    if (p.qubits() != q.qubits()) {
      throw new IllegalArgumentException(
          "Distributions over different qubit counts: " + p.qubits() + " and " + q.qubits());
    }
  }
}
