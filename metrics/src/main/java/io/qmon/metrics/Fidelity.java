package io.qmon.metrics;

/**
 * Classical fidelity between two outcome distributions.
 *
 * <p>F = (Σ √(p q))², which is what Qiskit's {@code qiskit.quantum_info.hellinger_fidelity} returns
 * for two count dictionaries.
 */
public final class Fidelity {
  private Fidelity() {}

  /** Classical (Hellinger) fidelity (Σ √(p q))², in [0, 1]; 1 exactly when P = Q. */
  public static double classical(Distribution p, Distribution q) {
    Divergences.checkSameQubits(p, q);
    double overlap = 0;
    int i = 0;
    int j = 0;
    while (i < p.support() && j < q.support()) {
      long po = p.outcome(i);
      long qo = q.outcome(j);
      if (po == qo) {
        overlap += Math.sqrt(p.probability(i++) * q.probability(j++));
      } else if (po < qo) {
        i++;
      } else {
        j++;
      }
    }
    return Math.min(1.0, overlap * overlap);
  }

  /** Classical fidelity of a lazily evaluated target from Q: only Q's support contributes. */
  public static double classical(Alignment a) {
    double overlap = 0;
    for (int i = 0; i < a.size(); i++) {
      overlap += Math.sqrt(a.targetAt(i) * a.generatedAt(i));
    }
    return Math.min(1.0, overlap * overlap);
  }
}
