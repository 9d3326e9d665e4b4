package io.qmon.producers.sim;

import io.qmon.metrics.Distribution;

/**
 * Sparse shot counts: the distinct outcomes seen, in increasing order, and how often each was seen.
 *
 * <p>The shape of a {@code qgm.shots} event: outcome integers are Qiskit count keys (qubit 0 is the
 * least significant bit).
 */
public record ShotCounts(int qubits, long[] outcomes, long[] counts) {
  public ShotCounts {
    if (outcomes.length != counts.length) {
      throw new IllegalArgumentException(
          "outcomes and counts differ in length: " + outcomes.length + " != " + counts.length);
    }
    for (int i = 0; i < outcomes.length; i++) {
      if (i > 0 && outcomes[i] <= outcomes[i - 1]) {
        throw new IllegalArgumentException("outcomes must be strictly increasing at index " + i);
      }
      if (counts[i] <= 0) {
        throw new IllegalArgumentException("counts[" + i + "] must be > 0, got " + counts[i]);
      }
    }
    outcomes = outcomes.clone();
    counts = counts.clone();
  }

  @Override
  public long[] outcomes() {
    return outcomes.clone();
  }

  @Override
  public long[] counts() {
    return counts.clone();
  }

  /** Number of distinct outcomes. */
  public int support() {
    return outcomes.length;
  }

  public long outcome(int i) {
    return outcomes[i];
  }

  public long count(int i) {
    return counts[i];
  }

  /** Total number of shots. */
  public long shots() {
    long total = 0;
    for (long c : counts) {
      total += c;
    }
    return total;
  }

  /** Relative frequencies. */
  public Distribution toDistribution() {
    return Distribution.fromCounts(qubits, outcomes, counts);
  }

  /** Relative frequencies as a dense array over all 2^n outcomes. */
  public double[] frequencies() {
    double[] out = new double[1 << qubits];
    double total = shots();
    for (int i = 0; i < outcomes.length; i++) {
      out[(int) outcomes[i]] = counts[i] / total;
    }
    return out;
  }
}
