package io.qmon.metrics;

import io.qmon.metrics.targets.ExplicitTarget;

/**
 * Relative entropy KL(P‖Q) = Σ p log₂(p/q) of the target P from the generated Q, in bits, as {@code
 * scipy.stats.entropy(p, q, base=2)}.
 *
 * <p>KL is infinite wherever the model never produced an outcome the target can produce, which is
 * the common case with few shots; so the result carries both a named smoothing ({@link
 * KlSmoothing}) and the raw value, reported as {@code +∞} rather than NaN.
 */
public final class KullbackLeibler {
  private static final double LN2 = Math.log(2.0);

  private KullbackLeibler() {}

  /** KL of explicit P from Q after {@code shots} shots. */
  public static KlResult divergence(
      Distribution p, Distribution q, long shots, KlSmoothing smoothing) {
    Divergences.checkSameQubits(p, q);
    return divergence(Alignment.of(ExplicitTarget.of("p", p), q), shots, smoothing);
  }

  /**
   * KL of the aligned target from Q after {@code shots} shots. Exact for lazily evaluated targets:
   * the unseen outcomes all share one smoothed probability, so their terms sum to Σ_{x∉S} p ln p −
   * r ln q̃₀ with Σ_{x∉S} p ln p = −H(P) − Σ_{x∈S} p ln p.
   */
  public static KlResult divergence(Alignment a, long shots, KlSmoothing smoothing) {
    if (shots < 1) {
      throw new IllegalArgumentException("shots must be >= 1, got " + shots);
    }
    double declared = a.target().supportSize() + a.generatedOutsideTarget();
    double smoothedSum = 0;
    double rawSum = 0;
    for (int i = 0; i < a.size(); i++) {
      double p = a.targetAt(i);
      if (p > 0) {
        double q = a.generatedAt(i);
        smoothedSum += p * Math.log(p / smoothing.smoothed(q, shots, declared));
        rawSum += p * Math.log(p / q);
      }
    }
    double r = a.outsideMass();
    if (a.missingOutcomes() > 0) {
      double unseen = smoothing.smoothed(0.0, shots, declared);
      double plogpOutside = -a.target().entropyBits() * LN2 - a.targetLogSumInside();
      smoothedSum += plogpOutside - r * Math.log(unseen);
    }
    double bits = Math.max(0.0, smoothedSum / LN2);
    double raw = a.missingOutcomes() > 0 ? Double.POSITIVE_INFINITY : Math.max(0.0, rawSum / LN2);
    return new KlResult(bits, smoothing.name(), raw, r);
  }
}
