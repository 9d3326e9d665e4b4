package io.qmon.metrics;

import java.io.Serializable;

/**
 * How Q is smoothed before KL(P‖Q), so that an outcome the model never produced does not make the
 * divergence infinite. Both strategies spread pseudo-mass over the declared support D = supp(P) ∪
 * supp(Q), of size K, and renormalise:
 *
 * <ul>
 *   <li>{@link #additive(double) additive(ε)}: q̃(x) = (q(x) + ε) / (1 + Kε);
 *   <li>{@link #laplace(double) laplace(α)}: q̃(x) = (c(x) + α) / (N + Kα) on the shot counts c(x)
 *       = N·q(x); α = 1 is Laplace's rule of succession.
 * </ul>
 *
 * The declared support is the target's support, not all 2^n outcomes, so a sparse target over many
 * qubits is not drowned in pseudo-counts.
 */
public final class KlSmoothing implements Serializable {
  private static final long serialVersionUID = 1L;

  private enum Kind {
    ADDITIVE,
    LAPLACE
  }

  private final Kind kind;
  private final double amount;

  private KlSmoothing(Kind kind, double amount) {
    if (!(amount > 0) || Double.isInfinite(amount)) {
      throw new IllegalArgumentException(
          (kind == Kind.ADDITIVE ? "epsilon" : "alpha") + " must be finite and > 0, got " + amount);
    }
    this.kind = kind;
    this.amount = amount;
  }

  /** Adds ε to every relative frequency of the declared support, then renormalises. */
  public static KlSmoothing additive(double epsilon) {
    return new KlSmoothing(Kind.ADDITIVE, epsilon);
  }

  /** Adds α pseudo-counts to every outcome of the declared support, then renormalises. */
  public static KlSmoothing laplace(double alpha) {
    return new KlSmoothing(Kind.LAPLACE, alpha);
  }

  /**
   * The smoothed probability of an outcome with relative frequency {@code q}, after {@code shots}
   * shots, on a declared support of {@code declaredSupport} outcomes.
   */
  public double smoothed(double q, long shots, double declaredSupport) {
    if (kind == Kind.ADDITIVE) {
      return (q + amount) / (1.0 + declaredSupport * amount);
    }
    return (q * shots + amount) / (shots + declaredSupport * amount);
  }

  /** The name reported beside every smoothed KL, e.g. {@code additive(eps=1.0E-6)}. */
  public String name() {
    return kind == Kind.ADDITIVE ? "additive(eps=" + amount + ")" : "laplace(alpha=" + amount + ")";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KlSmoothing s && s.kind == kind && Double.compare(s.amount, amount) == 0;
  }

  @Override
  public int hashCode() {
    return kind.hashCode() * 31 + Double.hashCode(amount);
  }

  @Override
  public String toString() {
    return name();
  }
}
