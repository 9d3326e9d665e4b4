package io.qmon.producers.sim;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Draws shots from dense outcome probabilities and returns sparse counts.
 *
 * <p>Each shot is a binary search of a uniform variate in the cumulative sums, tallied in a dense
 * array that one pass then compacts into sorted distinct outcomes: O(2^n + shots·n), no sorting and
 * no allocation beyond the result once the buffers have grown. Readout error is applied per shot
 * afterwards. Holds scratch buffers; not thread-safe.
 */
public final class ShotSampler {
  private double[] cumulative = new double[0];
  private int[] tally = new int[0];
  private long[] outcomes = new long[0];
  private long[] counts = new long[0];
  private long[] perShot = new long[0];

  /**
   * Samples {@code shots} outcomes from {@code probabilities} (non-negative, summing to about 1),
   * then flips bits according to {@code noise}'s readout error.
   */
  public ShotCounts sample(
      double[] probabilities, int shots, NoiseModel noise, SplittableRandom rng) {
    int qubits = Integer.numberOfTrailingZeros(probabilities.length);
    if (probabilities.length != 1 << qubits) {
      throw new IllegalArgumentException(
          "probabilities must have 2^n entries, got " + probabilities.length);
    }
    if (shots < 1) {
      throw new IllegalArgumentException("shots must be >= 1, got " + shots);
    }
    noise.checkQubits(qubits);
    int distinct = draw(probabilities, shots, rng);
    if (noise.hasReadoutError()) {
      distinct = flipReadout(qubits, distinct, shots, noise, rng);
    }
    return new ShotCounts(
        qubits, Arrays.copyOf(outcomes, distinct), Arrays.copyOf(counts, distinct));
  }

  private int draw(double[] probabilities, int shots, SplittableRandom rng) {
    int size = probabilities.length;
    if (cumulative.length != size) {
      cumulative = new double[size];
      tally = new int[size];
    }
    double total = 0;
    int last = -1;
    for (int x = 0; x < size; x++) {
      double p = probabilities[x];
      if (!(p >= 0) || p == Double.POSITIVE_INFINITY) {
        throw new IllegalArgumentException(
            "probabilities[" + x + "] must be finite and >= 0, got " + p);
      }
      total += p;
      cumulative[x] = total;
      if (p > 0) {
        last = x;
      }
    }
    if (last < 0) {
      throw new IllegalArgumentException("probabilities must not all be zero");
    }
    for (int s = 0; s < shots; s++) {
      // The first x whose cumulative sum exceeds u has p(x) > 0 by construction; rounding can
      // only push u past the end, where the last outcome with mass takes it.
      tally[Math.min(upperBound(cumulative, last, rng.nextDouble() * total), last)]++;
    }
    if (outcomes.length < Math.min(shots, size)) {
      outcomes = new long[Math.min(shots, size)];
      counts = new long[outcomes.length];
    }
    int distinct = 0;
    for (int x = 0; x <= last; x++) {
      if (tally[x] > 0) {
        outcomes[distinct] = x;
        counts[distinct] = tally[x];
        distinct++;
        tally[x] = 0;
      }
    }
    return distinct;
  }

  /**
   * The first index in [0, last] whose cumulative sum exceeds u, or last + 1 if none does. The loop
   * has a fixed trip count and a conditional move instead of a branch, which random u would
   * mispredict half the time.
   */
  private static int upperBound(double[] cumulative, int last, double u) {
    int base = 0;
    int length = last + 1;
    while (length > 1) {
      int half = length >>> 1;
      base = cumulative[base + half - 1] <= u ? base + half : base;
      length -= half;
    }
    return cumulative[base] <= u ? base + 1 : base;
  }

  private int flipReadout(
      int qubits, int distinct, int shots, NoiseModel noise, SplittableRandom rng) {
    if (perShot.length < shots) {
      perShot = new long[shots];
    }
    int s = 0;
    for (int i = 0; i < distinct; i++) {
      for (long c = 0; c < counts[i]; c++) {
        long outcome = outcomes[i];
        for (int q = 0; q < qubits; q++) {
          double e = noise.flip(q);
          if (e > 0 && rng.nextDouble() < e) {
            outcome ^= 1L << q;
          }
        }
        perShot[s++] = outcome;
      }
    }
    Arrays.sort(perShot, 0, shots);
    int out = 0;
    for (int k = 0; k < shots; k++) {
      if (out > 0 && outcomes[out - 1] == perShot[k]) {
        counts[out - 1]++;
      } else {
        outcomes[out] = perShot[k];
        counts[out] = 1;
        out++;
      }
    }
    return out;
  }
}
