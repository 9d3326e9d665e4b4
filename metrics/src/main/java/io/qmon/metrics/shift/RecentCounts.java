package io.qmon.metrics.shift;

import io.qmon.metrics.TargetModel;
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

  // A per-epoch result like uniformShift, but transient: Kryo's field serializer (the job's state)
  // skips it, so checkpoints taken before it existed still restore.
  private transient double uniformShare = Double.NaN;
  private transient double targetShift = Double.NaN;

  // Working buffers reused from epoch to epoch so the hot path allocates nothing in steady state;
  // transient, so a restored pool (Flink state) rebuilds them on its first epoch.
  private transient long[] epochOutcomes;
  private transient long[] epochCounts;
  private transient long[] spareOutcomes;
  private transient long[] spareCounts;
  // The target's probability of each pooled outcome and of each of the epoch's, kept in step with
  // the pool so that an epoch looks up only the outcomes new to it; valid for pooledTargetId.
  private transient double[] pooledTarget;
  private transient double[] spareTarget;
  private transient double[] epochTarget;
  private transient String pooledTargetId;

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
    return shift(outcomes, counts, qubits, null);
  }

  /**
   * As {@link #shift(long[], long[], int)}; with the run's target (over the same qubits) also
   * scores the move towards it, read by {@link #targetShift()}.
   */
  public double shift(long[] outcomes, long[] counts, int qubits, TargetModel target) {
    if (epochOutcomes == null || epochOutcomes.length < counts.length) {
      epochOutcomes = new long[counts.length];
      epochCounts = new long[counts.length];
    }
    long[] o = epochOutcomes;
    long[] c = epochCounts;
    boolean ascending = true;
    int n = 0;
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] > 0) {
        o[n] = outcomes[i];
        c[n] = counts[i];
        ascending &= n == 0 || o[n] > o[n - 1];
        n++;
      }
    }
    if (n > maxOutcomes) {
      clear();
      return Double.NaN;
    }
    if (!ascending) {
      sort(o, c, n);
    }
    if (target != null) {
      alignTarget(target, o, n);
    } else {
      pooledTargetId = null;
    }
    double score = Double.NaN;
    uniformShift = Double.NaN;
    uniformShare = Double.NaN;
    targetShift = Double.NaN;
    if (size > 0) {
      double[] g = GTest.homogeneity(o, c, n, pooledOutcomes, pooledCounts, pooledSize);
      score = GTest.normalScore(g[0], g[1]);
      if (qubits > 0 && qubits < 63) {
        uniformShift = towardsUniform(o, c, n, qubits, target);
      }
    }
    boolean full = size == epochs;
    updatePool(
        o,
        c,
        n,
        full ? ringOutcomes[next] : null,
        full ? ringCounts[next] : null,
        full ? ringSizes[next] : 0,
        target != null);
    if (!full) {
      size++;
    }
    keep(next, o, c, n);
    next = (next + 1) % epochs;
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

  /**
   * How much of the last epoch's departure from the pool beyond shot noise the move towards uniform
   * explains, in [0, 1]: {@code z² / max(z², X² − (2^qubits − 1))}, with z = {@link
   * #uniformShift()} and X² Pearson's chi-square of the epoch against the same smoothed pool
   * proportions (Σ (n_i − N p_i)² / (N p_i) over all outcomes, whose mean is 2^qubits − 1 when the
   * epoch is drawn from the pool). By Cauchy–Schwarz z² ≤ X², so this is the share of the epoch's
   * excess chi-square that lies in the one direction noise mixing moves: near 1 when the output is
   * mixed with uniform (depolarising or readout noise), small when a training step moved it in many
   * directions at once, one of which happens to flatten it. NaN when {@link #uniformShift()} is.
   */
  public double uniformShare() {
    return uniformShare;
  }

  /**
   * The same score test as {@link #uniformShift()} with the run's target t in place of the uniform
   * distribution: Σ n_i (t_i/p_i) − N over √(N (Σ t²/p − 1)), from the last {@link #shift(long[],
   * long[], int, TargetModel)} given a target. Large and positive when the epoch moved towards the
   * target, which is what training does: where the target is broad, a training step also flattens
   * the output, and comparing the two scores tells that step from noise mixing: in expectation the
   * direction the output really moved scores highest (Cauchy–Schwarz), so noise mixing scores
   * higher towards uniform than towards any target but uniform itself. NaN without a target, or
   * when there was nothing to compare with.
   */
  public double targetShift() {
    return targetShift;
  }

  private double towardsUniform(long[] o, long[] c, int n, int qubits, TargetModel target) {
    double outcomesTotal = Math.pow(2, qubits);
    double u = 1 / outcomesTotal;
    long pooledShots = 0;
    for (int i = 0; i < pooledSize; i++) {
      pooledShots += pooledCounts[i];
    }
    double denominator = pooledShots + JEFFREYS * outcomesTotal;
    // Σ over all outcomes of u²/p: the pooled ones, then the unseen ones in one term.
    // The same sums for the target, Σ t²/p, in the same pass: over the rest p is the smoothing's
    // alone and Σ t² is the collision probability less the pooled outcomes' share.
    double sumInverse = 0;
    double pooledSquares = 0;
    double pooledSquaresOverP = 0;
    for (int i = 0; i < pooledSize; i++) {
      double inverseP = denominator / (pooledCounts[i] + JEFFREYS);
      sumInverse += inverseP;
      if (target != null) {
        double t = pooledTarget[i];
        pooledSquares += t * t;
        pooledSquaresOverP += t * t * inverseP;
      }
    }
    sumInverse += (outcomesTotal - pooledSize) * denominator / JEFFREYS;
    double variancePerShot = u * u * sumInverse - 1;
    double targetVariancePerShot =
        target == null
            ? Double.NaN
            : pooledSquaresOverP
                + Math.max(0, target.collisionProbability() - pooledSquares)
                    * denominator
                    / JEFFREYS
                - 1;
    double targetScore = 0;
    long shots = 0;
    double score = 0;
    // Σ n_i² / p_i over the epoch's outcomes: with Σ p_i = 1 over all outcomes, Pearson's X² is
    // that divided by N, minus N, so the outcomes the epoch did not draw need no pass.
    double squaresOverP = 0;
    int j = 0;
    for (int i = 0; i < n; i++) {
      while (j < pooledSize && pooledOutcomes[j] < o[i]) {
        j++;
      }
      long pooled = j < pooledSize && pooledOutcomes[j] == o[i] ? pooledCounts[j] : 0;
      double inverseP = denominator / (pooled + JEFFREYS);
      score += c[i] * u * inverseP;
      if (target != null) {
        targetScore += c[i] * epochTarget[i] * inverseP;
      }
      squaresOverP += (double) c[i] * c[i] * inverseP;
      shots += c[i];
    }
    score -= shots;
    if (!(variancePerShot > 0) || shots == 0) {
      return Double.NaN;
    }
    double z = score / Math.sqrt(shots * variancePerShot);
    if (targetVariancePerShot > 0) {
      targetShift = (targetScore - shots) / Math.sqrt(shots * targetVariancePerShot);
    }
    double excessChiSquare = squaresOverP / shots - shots - (outcomesTotal - 1);
    double explained = z * z;
    uniformShare = explained >= excessChiSquare ? 1 : explained / excessChiSquare;
    return z;
  }

  /**
   * Fills {@link #epochTarget} with the target's probability of each of the epoch's outcomes,
   * looking up only those the pool does not hold; first (after a restore, or a change of target)
   * looks up the whole pool's.
   */
  private void alignTarget(TargetModel target, long[] o, int n) {
    if (!target.id().equals(pooledTargetId)) {
      if (pooledTarget == null || pooledTarget.length < pooledSize) {
        pooledTarget = new double[pooledOutcomes.length];
      }
      for (int i = 0; i < pooledSize; i++) {
        pooledTarget[i] = target.probabilityOf(pooledOutcomes[i]);
      }
      pooledTargetId = target.id();
    }
    if (epochTarget == null || epochTarget.length < n) {
      epochTarget = new double[epochOutcomes.length];
    }
    int j = 0;
    for (int i = 0; i < n; i++) {
      while (j < pooledSize && pooledOutcomes[j] < o[i]) {
        j++;
      }
      epochTarget[i] =
          j < pooledSize && pooledOutcomes[j] == o[i]
              ? pooledTarget[j]
              : target.probabilityOf(o[i]);
    }
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

  /**
   * The pool plus the new epoch minus the evicted one (sorted, any of them possibly empty), in one
   * pass into the spare buffers, which then become the pool; zeros are dropped. The evicted epoch's
   * outcomes are always in the pool. With {@code withTarget} the target's probabilities follow
   * their outcomes.
   */
  private void updatePool(
      long[] addOutcomes,
      long[] addCounts,
      int addSize,
      long[] dropOutcomes,
      long[] dropCounts,
      int dropSize,
      boolean withTarget) {
    int capacity = pooledSize + addSize;
    if (spareOutcomes == null || spareOutcomes.length < capacity) {
      spareOutcomes = new long[capacity];
      spareCounts = new long[capacity];
    }
    if (withTarget && (spareTarget == null || spareTarget.length < capacity)) {
      spareTarget = new double[capacity];
    }
    long[] mergedOutcomes = spareOutcomes;
    long[] mergedCounts = spareCounts;
    double[] mergedTarget = spareTarget;
    int m = 0;
    int i = 0;
    int j = 0;
    int k = 0;
    while (i < pooledSize || j < addSize) {
      long outcome;
      long count;
      double t = 0;
      if (j >= addSize || (i < pooledSize && pooledOutcomes[i] < addOutcomes[j])) {
        outcome = pooledOutcomes[i];
        if (withTarget) {
          t = pooledTarget[i];
        }
        count = pooledCounts[i++];
      } else if (i >= pooledSize || addOutcomes[j] < pooledOutcomes[i]) {
        outcome = addOutcomes[j];
        if (withTarget) {
          t = epochTarget[j];
        }
        count = addCounts[j++];
      } else {
        outcome = addOutcomes[j];
        if (withTarget) {
          t = epochTarget[j];
        }
        count = pooledCounts[i++] + addCounts[j++];
      }
      while (k < dropSize && dropOutcomes[k] < outcome) {
        k++;
      }
      if (k < dropSize && dropOutcomes[k] == outcome) {
        count -= dropCounts[k++];
      }
      if (count != 0) {
        mergedOutcomes[m] = outcome;
        mergedCounts[m] = count;
        if (withTarget) {
          mergedTarget[m] = t;
        }
        m++;
      }
    }
    spareOutcomes = pooledOutcomes;
    spareCounts = pooledCounts;
    pooledOutcomes = mergedOutcomes;
    pooledCounts = mergedCounts;
    if (withTarget) {
      spareTarget = pooledTarget;
      pooledTarget = mergedTarget;
    }
    pooledSize = m;
  }

  /** Stores an epoch's counts in ring slot {@code slot}, reusing the evicted arrays if they fit. */
  private void keep(int slot, long[] o, long[] c, int n) {
    if (ringOutcomes[slot] == null || ringOutcomes[slot].length < n) {
      ringOutcomes[slot] = new long[n];
      ringCounts[slot] = new long[n];
    }
    System.arraycopy(o, 0, ringOutcomes[slot], 0, n);
    System.arraycopy(c, 0, ringCounts[slot], 0, n);
    ringSizes[slot] = n;
  }

  /** Sorts the first n entries of both arrays by outcome; outcomes are distinct. */
  private static void sort(long[] o, long[] c, int n) {
    long[] sorted = Arrays.copyOf(o, n);
    Arrays.sort(sorted);
    long[] counts = new long[n];
    for (int i = 0; i < n; i++) {
      counts[Arrays.binarySearch(sorted, o[i])] = c[i];
    }
    System.arraycopy(sorted, 0, o, 0, n);
    System.arraycopy(counts, 0, c, 0, n);
  }
}
