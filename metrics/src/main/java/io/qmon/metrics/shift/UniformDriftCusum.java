package io.qmon.metrics.shift;

import java.io.Serializable;
import java.util.Arrays;

/**
 * A cumulative test of a run's generated counts drifting towards the uniform distribution (what
 * growing depolarising or readout noise does), against a reference that freezes while the evidence
 * builds. {@link RecentCounts} tests each epoch against its last epochs, so a slow ramp is absorbed
 * by the pool it is tested against; here the reference is the pooled counts of the last {@code
 * epochs} epochs <em>accepted</em>, and an epoch is accepted only while the statistic is at zero.
 *
 * <p>Per epoch: z, the score test of "the epoch is the reference mixed with a little uniform noise"
 * against "it is the reference" (the statistic of {@link RecentCounts#uniformShift()}, about N(0,
 * 1) when nothing changed), then the one-sided CUSUM S = max(0, S + min(z, cap) − slack), in
 * standard deviations of shot noise. A steady mixture λ moves z by about λ·√(N·V) per epoch (N
 * shots, V the variance of u/p over the reference), so S grows by that less {@code slack} every
 * epoch for as long as the drift lasts instead of for the pool's length. {@code cap} bounds what
 * one epoch can add: at few shots a single outcome the reference never saw scores high by itself.
 * After {@code epochs} epochs frozen the run is taken to have settled at its new level: the
 * reference restarts from the current epoch and S from zero.
 *
 * <p>State is bounded as in {@link RecentCounts}: a run wider than {@code maxOutcomes} distinct
 * outcomes gets no score and the reference restarts.
 */
public final class UniformDriftCusum implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Pseudo-count per outcome of the reference's proportions, as in {@link RecentCounts}. */
  private static final double JEFFREYS = 0.5;

  /** Epochs pooled in the job's reference. */
  public static final int DEFAULT_EPOCHS = 10;

  /** Per-epoch allowance of the job's CUSUM, in standard deviations. */
  public static final double DEFAULT_SLACK = 1.0;

  /** The most one epoch adds to the job's CUSUM, in standard deviations. */
  public static final double DEFAULT_CAP = 4.0;

  private final int epochs;
  private final int maxOutcomes;
  private final double slack;
  private final double cap;
  private final long[][] ringOutcomes;
  private final long[][] ringCounts;
  private int size;
  private int next;
  private long[] referenceOutcomes = new long[0];
  private long[] referenceCounts = new long[0];
  private long referenceShots;
  private double statistic;
  private int frozen;
  private double lastScore = Double.NaN;

  /**
   * @param epochs epochs pooled in the reference, and epochs frozen before it restarts, ≥ 1
   * @param maxOutcomes distinct outcomes the reference may hold, ≥ 2
   * @param slack per-epoch allowance subtracted from the score, ≥ 0
   * @param cap the most one epoch's score adds, > slack
   */
  public UniformDriftCusum(int epochs, int maxOutcomes, double slack, double cap) {
    if (epochs < 1 || maxOutcomes < 2) {
      throw new IllegalArgumentException(
          "need epochs >= 1 and maxOutcomes >= 2, got " + epochs + ", " + maxOutcomes);
    }
    if (!(slack >= 0) || !(cap > slack)) {
      throw new IllegalArgumentException(
          "need slack >= 0 and cap > slack, got " + slack + ", " + cap);
    }
    this.epochs = epochs;
    this.maxOutcomes = maxOutcomes;
    this.slack = slack;
    this.cap = cap;
    this.ringOutcomes = new long[epochs][];
    this.ringCounts = new long[epochs][];
  }

  /** The job's test: {@value #DEFAULT_EPOCHS} epochs, slack 1, cap 4, 1024 outcomes. */
  public static UniformDriftCusum withDefaults() {
    return new UniformDriftCusum(
        DEFAULT_EPOCHS, RecentCounts.DEFAULT_MAX_OUTCOMES, DEFAULT_SLACK, DEFAULT_CAP);
  }

  /**
   * Scores one epoch of a run on {@code qubits} qubits (1–62) and returns the CUSUM after it, NaN
   * when there was no reference yet or the run is too wide. Outcomes need not be sorted; each
   * occurs once; zero counts are ignored.
   */
  public double observe(long[] outcomes, long[] counts, int qubits) {
    if (qubits < 1 || qubits > 62) {
      throw new IllegalArgumentException("qubits must be in [1, 62], got " + qubits);
    }
    long[][] sorted = sortedNonZero(outcomes, counts);
    long[] o = sorted[0];
    long[] c = sorted[1];
    if (o.length > maxOutcomes) {
      restart();
      return Double.NaN;
    }
    if (size == 0) {
      accept(o, c);
      lastScore = Double.NaN;
      return Double.NaN;
    }
    lastScore = towardsUniform(o, c, qubits);
    if (Double.isNaN(lastScore)) {
      return Double.NaN;
    }
    statistic = Math.max(0, statistic + Math.min(lastScore, cap) - slack);
    double reported = statistic;
    if (statistic == 0) {
      frozen = 0;
      accept(o, c);
    } else if (++frozen >= epochs) {
      restart();
      accept(o, c);
    }
    return reported;
  }

  /** The last epoch's score z against the reference, NaN when it had none. */
  public double lastScore() {
    return lastScore;
  }

  /** Epochs in the reference. */
  public int size() {
    return size;
  }

  private void restart() {
    Arrays.fill(ringOutcomes, null);
    Arrays.fill(ringCounts, null);
    size = 0;
    next = 0;
    referenceOutcomes = new long[0];
    referenceCounts = new long[0];
    referenceShots = 0;
    statistic = 0;
    frozen = 0;
  }

  private void accept(long[] o, long[] c) {
    if (size == epochs) {
      add(ringOutcomes[next], ringCounts[next], -1);
    } else {
      size++;
    }
    ringOutcomes[next] = o;
    ringCounts[next] = c;
    next = (next + 1) % epochs;
    add(o, c, 1);
    if (referenceOutcomes.length > maxOutcomes) {
      restart();
    }
  }

  /**
   * U = Σ n_i·u/p_i − N over the epoch's outcomes, over √(N·(Σ u²/p_i − 1)) over all 2^qubits
   * outcomes, with the reference's proportions smoothed by half a count per outcome.
   */
  private double towardsUniform(long[] o, long[] c, int qubits) {
    double outcomesTotal = Math.pow(2, qubits);
    double u = 1 / outcomesTotal;
    double denominator = referenceShots + JEFFREYS * outcomesTotal;
    double sumInverse = (outcomesTotal - referenceOutcomes.length) * denominator / JEFFREYS;
    for (long count : referenceCounts) {
      sumInverse += denominator / (count + JEFFREYS);
    }
    double variancePerShot = u * u * sumInverse - 1;
    long shots = 0;
    double score = 0;
    int j = 0;
    for (int i = 0; i < o.length; i++) {
      while (j < referenceOutcomes.length && referenceOutcomes[j] < o[i]) {
        j++;
      }
      long seen =
          j < referenceOutcomes.length && referenceOutcomes[j] == o[i] ? referenceCounts[j] : 0;
      score += c[i] * u * denominator / (seen + JEFFREYS);
      shots += c[i];
    }
    if (!(variancePerShot > 0) || shots == 0) {
      return Double.NaN;
    }
    return (score - shots) / Math.sqrt(shots * variancePerShot);
  }

  /** Adds (sign 1) or removes (sign −1) sorted counts to or from the reference, dropping zeros. */
  private void add(long[] o, long[] c, int sign) {
    long[] mergedOutcomes = new long[referenceOutcomes.length + o.length];
    long[] mergedCounts = new long[mergedOutcomes.length];
    int m = 0;
    int i = 0;
    int j = 0;
    while (i < referenceOutcomes.length || j < o.length) {
      long outcome;
      long count;
      if (j >= o.length || (i < referenceOutcomes.length && referenceOutcomes[i] < o[j])) {
        outcome = referenceOutcomes[i];
        count = referenceCounts[i++];
      } else if (i >= referenceOutcomes.length || o[j] < referenceOutcomes[i]) {
        outcome = o[j];
        count = sign * c[j++];
      } else {
        outcome = o[j];
        count = referenceCounts[i++] + sign * c[j++];
      }
      if (count != 0) {
        mergedOutcomes[m] = outcome;
        mergedCounts[m] = count;
        m++;
      }
    }
    referenceOutcomes = Arrays.copyOf(mergedOutcomes, m);
    referenceCounts = Arrays.copyOf(mergedCounts, m);
    long total = 0;
    for (long count : referenceCounts) {
      total += count;
    }
    referenceShots = total;
  }

  private static long[][] sortedNonZero(long[] outcomes, long[] counts) {
    int n = 0;
    for (long count : counts) {
      if (count > 0) {
        n++;
      }
    }
    long[][] pairs = new long[n][];
    int k = 0;
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] > 0) {
        pairs[k++] = new long[] {outcomes[i], counts[i]};
      }
    }
    Arrays.sort(pairs, (a, b) -> Long.compare(a[0], b[0]));
    long[] o = new long[n];
    long[] c = new long[n];
    for (int i = 0; i < n; i++) {
      o[i] = pairs[i][0];
      c[i] = pairs[i][1];
    }
    return new long[][] {o, c};
  }
}
