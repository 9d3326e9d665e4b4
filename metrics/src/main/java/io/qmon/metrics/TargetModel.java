package io.qmon.metrics;

import java.util.Optional;
import java.util.SplittableRandom;

/**
 * A target distribution P that metrics evaluate lazily, one outcome at a time.
 *
 * <p>Why: over n up to 63 qubits a target cannot be enumerated, but every metric against a
 * generated distribution Q can be computed exactly from P at the outcomes Q actually hit plus a few
 * totals P knows about itself. Let S be the support of Q and r = 1 − Σ_{x∈S} p(x) the target mass
 * outside it. Then, exactly:
 *
 * <ul>
 *   <li>TV = ½Σ_{x∈S}|p−q| + ½r, because q = 0 outside S;
 *   <li>JSD = ½Σ_{x∈S}[p log(2p/(p+q)) + q log(2q/(p+q))] + ½r bits, because each outcome with q =
 *       0 contributes ½p·1 bit;
 *   <li>fidelity and Hellinger only sum over S;
 *   <li>smoothed KL needs Σ_{x∉S} p log p, which is −H(P) − Σ_{x∈S} p log p, since every unseen
 *       outcome receives the same smoothed probability;
 *   <li>mode coverage needs the target's own mode list, {@link #modes(double)}.
 * </ul>
 *
 * Exactness therefore rests on {@link #probabilityOf} being normalised over all 2^n outcomes and on
 * {@link #entropyBits()} being exact; the only error is floating-point (the residual r loses about
 * 1e-16 to cancellation). A metric that needs the whole ordering (KS, W1) is only computed when the
 * target can be enumerated, {@link #explicit()}.
 */
public interface TargetModel {
  /** A stable identity, used to cache shot-noise floors; equal ids must mean equal targets. */
  String id();

  /** Number of qubits n; outcomes lie in [0, 2^n). */
  int qubits();

  /** P(x), normalised over all 2^n outcomes; 0 outside the support. */
  double probabilityOf(long outcome);

  /**
   * P(x) of each of the given outcomes, which are in increasing order (as {@link #modes} returns
   * them); targets that hold their outcomes sorted answer with one merge walk. The array must not
   * be changed.
   */
  default double[] probabilitiesOf(long[] ascendingOutcomes) {
    double[] p = new double[ascendingOutcomes.length];
    for (int i = 0; i < p.length; i++) {
      p[i] = probabilityOf(ascendingOutcomes[i]);
    }
    return p;
  }

  /** Number of outcomes with P(x) > 0, as a double because it may reach 2^63. */
  double supportSize();

  /** Shannon entropy H(P) in bits, exact. */
  double entropyBits();

  /**
   * Σ_x P(x)², the chance that two draws agree, exact: the scoring's move towards the target needs
   * it over all 2^n outcomes ({@code RecentCounts#targetShift}).
   */
  double collisionProbability();

  /** Every outcome with P(x) ≥ threshold, in increasing order. */
  long[] modes(double threshold);

  /** Draws one outcome from P. */
  long sample(SplittableRandom random);

  /** The real value each outcome stands for, when the target is a discretised real variable. */
  Optional<ValueMapping> valueMapping();

  /** The whole distribution, when it can be enumerated (at most a few million outcomes). */
  Optional<Distribution> explicit();
}
