package io.qmon.metrics;

import java.util.Arrays;

/**
 * A probability distribution over the 2^n measurement outcomes of n qubits, stored sparsely.
 *
 * <p>Only outcomes with non-zero probability are kept, sorted by outcome, so every metric can walk
 * two distributions in one merge pass whose cost grows with the number of distinct outcomes, not
 * with 2^n. Outcomes are unsigned bit strings packed in a {@code long}, which supports up to 63
 * qubits.
 */
public final class Distribution {
  /** The largest qubit count whose outcomes fit in a non-negative {@code long}. */
  public static final int MAX_QUBITS = 63;

  private final int qubits;
  private final long[] outcomes;
  private final double[] probabilities;

  private Distribution(int qubits, long[] outcomes, double[] probabilities) {
    this.qubits = qubits;
    this.outcomes = outcomes;
    this.probabilities = probabilities;
  }

  /**
   * Relative frequencies of shot counts. Outcomes may come in any order and may repeat (repeats are
   * added); zero counts are dropped.
   *
   * @throws IllegalArgumentException when a count is negative, an outcome does not fit in {@code
   *     qubits} bits, or all counts are zero
   */
  public static Distribution fromCounts(int qubits, long[] outcomes, long[] counts) {
    checkQubits(qubits);
    if (outcomes.length != counts.length) {
      throw new IllegalArgumentException(
          "outcomes and counts differ in length: " + outcomes.length + " != " + counts.length);
    }
    double[] weights = new double[counts.length];
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] < 0) {
        throw new IllegalArgumentException(
            "Negative count " + counts[i] + " for outcome " + outcomes[i] + " is illegal.");
      }
      weights[i] = counts[i];
    }
    return normalised(qubits, outcomes, weights);
  }

  /**
   * A distribution from non-negative weights, normalised to sum to one. Outcomes may come in any
   * order and may repeat.
   *
   * @throws IllegalArgumentException when a weight is negative or not finite, an outcome does not
   *     fit in {@code qubits} bits, or all weights are zero
   */
  public static Distribution of(int qubits, long[] outcomes, double[] weights) {
    checkQubits(qubits);
    if (outcomes.length != weights.length) {
      throw new IllegalArgumentException(
          "outcomes and weights differ in length: " + outcomes.length + " != " + weights.length);
    }
    for (int i = 0; i < weights.length; i++) {
      if (!(weights[i] >= 0) || Double.isInfinite(weights[i])) {
        throw new IllegalArgumentException(
            "Weight " + weights[i] + " for outcome " + outcomes[i] + " must be finite and >= 0.");
      }
    }
    return normalised(qubits, outcomes, weights.clone());
  }

  /** A dense distribution: {@code weights[x]} is the weight of outcome x, for all 2^n outcomes. */
  public static Distribution dense(int qubits, double[] weights) {
    checkQubits(qubits);
    if (qubits > 30 || weights.length != (1 << qubits)) {
      throw new IllegalArgumentException(
          "A dense distribution over " + qubits + " qubits needs 2^" + qubits + " weights");
    }
    long[] outcomes = new long[weights.length];
    for (int x = 0; x < outcomes.length; x++) {
      outcomes[x] = x;
    }
    return of(qubits, outcomes, weights);
  }

  private static Distribution normalised(int qubits, long[] outcomes, double[] weights) {
    long limit = qubits == MAX_QUBITS ? Long.MAX_VALUE : (1L << qubits) - 1;
    boolean sorted = true;
    for (int i = 0; i < outcomes.length; i++) {
      if (outcomes[i] < 0 || outcomes[i] > limit) {
        throw new IllegalArgumentException(
            "Outcome " + outcomes[i] + " does not fit in " + qubits + " qubits.");
      }
      if (i > 0 && outcomes[i] <= outcomes[i - 1]) {
        sorted = false;
      }
    }
    // Shot counts usually arrive sorted: then the identity order needs no boxed index array.
    int[] order = sorted ? null : sortedOrder(outcomes);
    long[] keptOutcomes = new long[outcomes.length];
    double[] keptWeights = new double[outcomes.length];
    int kept = 0;
    double total = 0;
    for (int k = 0; k < outcomes.length; k++) {
      int i = order == null ? k : order[k];
      double w = weights[i];
      total += w;
      if (w == 0) {
        continue;
      }
      if (kept > 0 && keptOutcomes[kept - 1] == outcomes[i]) {
        keptWeights[kept - 1] += w;
      } else {
        keptOutcomes[kept] = outcomes[i];
        keptWeights[kept] = w;
        kept++;
      }
    }
    if (!(total > 0)) {
      throw new IllegalArgumentException("A distribution needs a positive total weight.");
    }
    for (int i = 0; i < kept; i++) {
      keptWeights[i] /= total;
    }
    return new Distribution(
        qubits, Arrays.copyOf(keptOutcomes, kept), Arrays.copyOf(keptWeights, kept));
  }

  /** Indexes of {@code outcomes} in ascending outcome order. */
  private static int[] sortedOrder(long[] outcomes) {
    Integer[] boxed = new Integer[outcomes.length];
    for (int i = 0; i < boxed.length; i++) {
      boxed[i] = i;
    }
    Arrays.sort(boxed, (a, b) -> Long.compare(outcomes[a], outcomes[b]));
    int[] order = new int[boxed.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = boxed[i];
    }
    return order;
  }

  private static void checkQubits(int qubits) {
    if (qubits < 1 || qubits > MAX_QUBITS) {
      throw new IllegalArgumentException(
          "Qubit count " + qubits + " is outside [1, " + MAX_QUBITS + "].");
    }
  }

  /** Number of qubits n; outcomes lie in [0, 2^n). */
  public int qubits() {
    return qubits;
  }

  /** Number of outcomes with non-zero probability. */
  public int support() {
    return outcomes.length;
  }

  /** The i-th outcome with non-zero probability, in increasing order. */
  public long outcome(int i) {
    return outcomes[i];
  }

  /** The outcomes themselves, ascending; shared, not copied, so only this package may see it. */
  long[] outcomesAscending() {
    return outcomes;
  }

  /** Probability of the i-th outcome with non-zero probability. */
  public double probability(int i) {
    return probabilities[i];
  }

  /** Probability of an outcome; zero when it is outside the support. Binary search. */
  public double probabilityOf(long outcome) {
    int i = Arrays.binarySearch(outcomes, outcome);
    return i >= 0 ? probabilities[i] : 0.0;
  }

  @Override
  public String toString() {
    return "Distribution{qubits=" + qubits + ", support=" + outcomes.length + "}";
  }
}
