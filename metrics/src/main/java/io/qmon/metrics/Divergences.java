package io.qmon.metrics;

/**
 * Divergences between a target P and a generated distribution Q, in bits.
 *
 * <p>Each is one merge pass over the two sparse supports, or one pass over Q's support for a lazily
 * evaluated target ({@link Alignment}). Definitions follow scipy and Qiskit: {@link #jensenShannon}
 * is the square of {@code scipy.spatial.distance.jensenshannon(p, q, base=2)}; {@link #hellinger}
 * is {@code qiskit.quantum_info.hellinger_distance}. KL lives in {@link KullbackLeibler}.
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

  /**
   * JSD of a lazily evaluated target from Q, in bits; equal to {@link #jensenShannon(Distribution,
   * Distribution)}.
   */
  public static double jensenShannon(Alignment a) {
    double sum = 0;
    for (int i = 0; i < a.size(); i++) {
      double p = a.targetAt(i);
      double q = a.generatedAt(i);
      double m = 0.5 * (p + q);
      sum += (p > 0 ? p * Math.log(p / m) : 0.0) + q * Math.log(q / m);
    }
    double bits = 0.5 * sum / LN2 + 0.5 * a.outsideMass();
    return Math.min(1.0, Math.max(0.0, bits));
  }

  /** Total variation ½Σ|p−q|, the classical trace distance; in [0, 1]. */
  public static double totalVariation(Distribution p, Distribution q) {
    checkSameQubits(p, q);
    double sum = 0;
    int i = 0;
    int j = 0;
    while (i < p.support() || j < q.support()) {
      long po = i < p.support() ? p.outcome(i) : Long.MAX_VALUE;
      long qo = j < q.support() ? q.outcome(j) : Long.MAX_VALUE;
      if (po == qo) {
        sum += Math.abs(p.probability(i++) - q.probability(j++));
      } else if (po < qo) {
        sum += p.probability(i++);
      } else {
        sum += q.probability(j++);
      }
    }
    return Math.min(1.0, 0.5 * sum);
  }

  /** Total variation of a lazily evaluated target from Q: ½Σ_S|p−q| + ½r. */
  public static double totalVariation(Alignment a) {
    double sum = 0;
    for (int i = 0; i < a.size(); i++) {
      sum += Math.abs(a.targetAt(i) - a.generatedAt(i));
    }
    return Math.min(1.0, 0.5 * (sum + a.outsideMass()));
  }

  /**
   * Hellinger distance H = √(½Σ(√p−√q)²) = √(1 − Σ√(pq)), the convention of Qiskit's {@code
   * hellinger_distance} and of Wikipedia; in [0, 1]. (Some texts omit the ½ and range over [0,
   * √2].) Summed as squared differences, which keeps full precision when P ≈ Q.
   */
  public static double hellinger(Distribution p, Distribution q) {
    checkSameQubits(p, q);
    double sum = 0;
    int i = 0;
    int j = 0;
    while (i < p.support() || j < q.support()) {
      long po = i < p.support() ? p.outcome(i) : Long.MAX_VALUE;
      long qo = j < q.support() ? q.outcome(j) : Long.MAX_VALUE;
      if (po == qo) {
        double d = Math.sqrt(p.probability(i++)) - Math.sqrt(q.probability(j++));
        sum += d * d;
      } else if (po < qo) {
        sum += p.probability(i++);
      } else {
        sum += q.probability(j++);
      }
    }
    return Math.min(1.0, Math.sqrt(0.5 * sum));
  }

  /** Hellinger distance of a lazily evaluated target from Q: √(½[Σ_S(√p−√q)² + r]). */
  public static double hellinger(Alignment a) {
    double sum = 0;
    for (int i = 0; i < a.size(); i++) {
      double d = Math.sqrt(a.targetAt(i)) - Math.sqrt(a.generatedAt(i));
      sum += d * d;
    }
    return Math.min(1.0, Math.sqrt(0.5 * (sum + a.outsideMass())));
  }

  static void checkSameQubits(Distribution p, Distribution q) {
    if (p.qubits() != q.qubits()) {
      throw new IllegalArgumentException(
          "Distributions over different qubit counts: " + p.qubits() + " and " + q.qubits());
    }
  }
}
