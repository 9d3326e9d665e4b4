package io.qmon.metrics.shift;

import io.qmon.metrics.stats.GTest;
import java.io.Serializable;
import java.util.Arrays;

/**
 * A run's generated counts of its last {@code epochs} epochs, pooled, and how far each new epoch's
 * counts lie from them: the normal score of the G-test of homogeneity between the epoch and the
 * pool ({@link GTest}). The score is in units of sampling noise (about N(0, 1) when the generator
 * did not change), so it is large only when the distribution moved by more than its shots can
 * explain — whichever way it moved, towards uniform included, where the JSD to a broad target may
 * fall.
 *
 * <p>State is bounded: a run whose pooled outcomes would exceed {@code maxOutcomes} distinct values
 * gets no score (the pool restarts), since the test needs counts per outcome that sparse wide
 * supports do not have.
 */
public final class RecentCounts implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Pseudo-count per outcome of the pool's proportions in {@link #uniformShift()}. */
  private static final double JEFFREYS = 0.5;

  /** Epochs pooled by the job's scoring. */
  public static final int DEFAULT_EPOCHS = 10;

  /** Distinct outcomes beyond which the job's scoring reports no score. */
  public static final int DEFAULT_MAX_OUTCOMES = 1024;

  private final int epochs;
  private final int maxOutcomes;
  private final long[][] ringOutcomes;
  private final long[][] ringCounts;
  private final int[] ringSizes;
  private int size;
  private int next;
  private long[] pooledOutcomes = new long[0];
  private long[] pooledCounts = new long[0];
  private int pooledSize;
  private double uniformShift = Double.NaN;

  /**
   * @param epochs epochs in the pool, ≥ 1
   * @param maxOutcomes distinct outcomes the pool may hold, ≥ 2
   */
  public RecentCounts(int epochs, int maxOutcomes) {
    if (epochs < 1 || maxOutcomes < 2) {
      throw new IllegalArgumentException(
          "need epochs >= 1 and maxOutcomes >= 2, got " + epochs + ", " + maxOutcomes);
    }
    this.epochs = epochs;
    this.maxOutcomes = maxOutcomes;
    this.ringOutcomes = new long[epochs][];
    this.ringCounts = new long[epochs][];
    this.ringSizes = new int[epochs];
  }

  /** The job's pool: {@value #DEFAULT_EPOCHS} epochs, {@value #DEFAULT_MAX_OUTCOMES} outcomes. */
  public static RecentCounts withDefaults() {
    return new RecentCounts(DEFAULT_EPOCHS, DEFAULT_MAX_OUTCOMES);
  }

  /**
   * Scores one epoch against the pool, then adds it to the pool (dropping the oldest epoch when
   * full). Returns NaN when the pool is empty or too wide. Outcomes need not be sorted; each occurs
   * once.
   */
  public double shift(long[] outcomes, long[] counts) {
    return shift(outcomes, counts, 0);
  }

  /**
   * As {@link #shift(long[], long[])}; with the run's qubits (> 0) also scores the move towards the
   * uniform distribution over all 2^qubits outcomes, read by {@link #uniformShift()}.
   */
  public double shift(long[] outcomes, long[] counts, int qubits) {
    int n = 0;
    for (long c : counts) {
      if (c > 0) {
        n++;
      }
    }
    long[] o = new long[n];
    long[] c = new long[n];
    boolean ascending = true;
    int k = 0;
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] > 0) {
        o[k] = outcomes[i];
        c[k] = counts[i];
        ascending &= k == 0 || o[k] > o[k - 1];
        k++;
      }
    }
    if (n > maxOutcomes) {
      clear();
      return Double.NaN;
    }
    if (!ascending) {
      sort(o, c);
    }
    double score = Double.NaN;
    uniformShift = Double.NaN;
    if (size > 0) {
      double[] g = GTest.homogeneity(o, c, n, pooledOutcomes, pooledCounts, pooledSize);
      score = GTest.normalScore(g[0], g[1]);
      if (qubits > 0 && qubits < 63) {
        uniformShift = towardsUniform(o, c, n, qubits);
      }
    }
    if (size == epochs) {
      merge(ringOutcomes[next], ringCounts[next], ringSizes[next], -1);
    } else {
      size++;
    }
    ringOutcomes[next] = o;
    ringCounts[next] = c;
    ringSizes[next] = n;
    next = (next + 1) % epochs;
    merge(o, c, n, 1);
    if (pooledSize > maxOutcomes) {
      clear();
    }
    return score;
  }

  /**
   * The score test of "the epoch is the pool mixed with a little uniform noise" against "it is the
   * pool", from the last {@link #shift(long[], long[], int)} given qubits: U = Σ n_i (u/p_i) − N
   * over the epoch's outcomes, divided by its standard deviation √(N (Σ u²/p_i − 1)) over all
   * outcomes, with the pool's proportions p smoothed by half a count per outcome (Jeffreys) so that
   * outcomes the pool never saw, where uniform noise lands first, weigh most. About N(0, 1) when
   * nothing changed; large and positive when the output moves towards uniform (depolarising or
   * readout noise), negative when it sharpens. NaN when there was nothing to compare with.
   */
  public double uniformShift() {
    return uniformShift;
  }

  private double towardsUniform(long[] o, long[] c, int n, int qubits) {
    double outcomesTotal = Math.pow(2, qubits);
    double u = 1 / outcomesTotal;
    long pooledShots = 0;
    for (int i = 0; i < pooledSize; i++) {
      pooledShots += pooledCounts[i];
    }
    double denominator = pooledShots + JEFFREYS * outcomesTotal;
    // Σ over all outcomes of u²/p: the pooled ones, then the unseen ones in one term.
    double sumInverse = 0;
    for (int i = 0; i < pooledSize; i++) {
      sumInverse += denominator / (pooledCounts[i] + JEFFREYS);
    }
    sumInverse += (outcomesTotal - pooledSize) * denominator / JEFFREYS;
    double variancePerShot = u * u * sumInverse - 1;
    long shots = 0;
    double score = 0;
    int j = 0;
    for (int i = 0; i < n; i++) {
      while (j < pooledSize && pooledOutcomes[j] < o[i]) {
        j++;
      }
      long pooled = j < pooledSize && pooledOutcomes[j] == o[i] ? pooledCounts[j] : 0;
      score += c[i] * u * denominator / (pooled + JEFFREYS);
      shots += c[i];
    }
    score -= shots;
    if (!(variancePerShot > 0) || shots == 0) {
      return Double.NaN;
    }
    return score / Math.sqrt(shots * variancePerShot);
  }

  /** Epochs in the pool. */
  public int size() {
    return size;
  }

  private void clear() {
    Arrays.fill(ringOutcomes, null);
    Arrays.fill(ringCounts, null);
    Arrays.fill(ringSizes, 0);
    size = 0;
    next = 0;
    pooledSize = 0;
  }

  /** Adds (sign 1) or removes (sign −1) sorted counts to or from the pool, dropping zeros. */
  private void merge(long[] o, long[] c, int n, int sign) {
    long[] mergedOutcomes = new long[pooledSize + n];
    long[] mergedCounts = new long[pooledSize + n];
    int m = 0;
    int i = 0;
    int j = 0;
    while (i < pooledSize || j < n) {
      long outcome;
      long count;
      if (j >= n || (i < pooledSize && pooledOutcomes[i] < o[j])) {
        outcome = pooledOutcomes[i];
        count = pooledCounts[i++];
      } else if (i >= pooledSize || o[j] < pooledOutcomes[i]) {
        outcome = o[j];
        count = sign * c[j++];
      } else {
        outcome = o[j];
        count = pooledCounts[i++] + sign * c[j++];
      }
      if (count != 0) {
        mergedOutcomes[m] = outcome;
        mergedCounts[m] = count;
        m++;
      }
    }
    pooledOutcomes = mergedOutcomes;
    pooledCounts = mergedCounts;
    pooledSize = m;
  }

  /** Sorts both arrays by outcome; outcomes are distinct. */
  private static void sort(long[] o, long[] c) {
    long[] sorted = o.clone();
    Arrays.sort(sorted);
    long[] counts = new long[c.length];
    for (int i = 0; i < o.length; i++) {
      counts[Arrays.binarySearch(sorted, o[i])] = c[i];
    }
    System.arraycopy(sorted, 0, o, 0, o.length);
    System.arraycopy(counts, 0, c, 0, c.length);
  }
}
