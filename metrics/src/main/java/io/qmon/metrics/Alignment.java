package io.qmon.metrics;

import java.util.Objects;

/**
 * Q's support with the target probability at each of its outcomes, plus the target mass outside it.
 *
 * <p>Why: every divergence against a lazily evaluated target reads P only at the outcomes Q hit
 * (see {@link TargetModel}); aligning once lets a whole metric set share those evaluations. Cost:
 * one {@link TargetModel#probabilitiesOf} over the distinct generated outcomes.
 */
public final class Alignment {
  private final TargetModel target;
  private final Distribution generated;
  private final double[] targetAt;
  private final double outsideMass;
  private final double missingOutcomes;
  private final double targetLogSumInside;

  private Alignment(TargetModel target, Distribution generated) {
    this.target = Objects.requireNonNull(target, "target");
    this.generated = Objects.requireNonNull(generated, "generated");
    if (target.qubits() != generated.qubits()) {
      throw new IllegalArgumentException(
          "Target over "
              + target.qubits()
              + " qubits cannot be compared with a distribution over "
              + generated.qubits()
              + " qubits.");
    }
    // Generated outcomes are ascending: the target answers them all in one merge walk.
    targetAt = target.probabilitiesOf(generated.outcomesAscending());
    double covered = 0;
    double plogp = 0;
    long hit = 0;
    for (int i = 0; i < targetAt.length; i++) {
      double p = targetAt[i];
      if (p > 0) {
        covered += p;
        plogp += p * Math.log(p);
        hit++;
      }
    }
    missingOutcomes = target.supportSize() - hit;
    // Counting outcomes decides exactly whether any target mass is unseen; 1 − covered alone
    // would leave a 1e-16 residue and turn an exact match into an infinite KL.
    outsideMass = missingOutcomes > 0 ? Math.max(0.0, 1.0 - covered) : 0.0;
    targetLogSumInside = plogp;
  }

  /** Aligns the generated distribution with the target. */
  public static Alignment of(TargetModel target, Distribution generated) {
    return new Alignment(target, generated);
  }

  public TargetModel target() {
    return target;
  }

  public Distribution generated() {
    return generated;
  }

  /** Number of distinct generated outcomes. */
  public int size() {
    return targetAt.length;
  }

  /** P at the i-th generated outcome. */
  public double targetAt(int i) {
    return targetAt[i];
  }

  /** Q at the i-th generated outcome. */
  public double generatedAt(int i) {
    return generated.probability(i);
  }

  /** r = Σ p over outcomes Q never produced; exactly 0 when Q covers P's support. */
  public double outsideMass() {
    return outsideMass;
  }

  /** Number of target outcomes with p > 0 that Q never produced. */
  public double missingOutcomes() {
    return missingOutcomes;
  }

  /** Number of generated outcomes where the target has p = 0. */
  public int generatedOutsideTarget() {
    int n = 0;
    for (double p : targetAt) {
      if (p == 0) {
        n++;
      }
    }
    return n;
  }

  /** Σ p ln p over the generated support, in nats. */
  double targetLogSumInside() {
    return targetLogSumInside;
  }
}
