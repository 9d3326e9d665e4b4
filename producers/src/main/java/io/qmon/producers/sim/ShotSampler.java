package io.qmon.producers.sim;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Draws shots from dense outcome probabilities and returns sparse counts.
 *
 * <p>It sorts the shot's uniform variates and walks them against the running cumulative sum in one
 * pass, which costs O(2^n + shots·log shots), yields the outcomes already in order, and needs no
 * cumulative array. Readout error is applied per shot afterwards. Holds scratch buffers; not
 * thread-safe.
 */
public final class ShotSampler {
  private double[] uniforms = new double[0];
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
    double total = 0;
    int last = -1;
    for (int x = 0; x < probabilities.length; x++) {
      double p = probabilities[x];
      if (!(p >= 0)) {
        throw new IllegalArgumentException("probabilities[" + x + "] must be >= 0, got " + p);
      }
      total += p;
      if (p > 0) {
        last = x;
      }
    }
    if (last < 0) {
      throw new IllegalArgumentException("probabilities must not all be zero");
    }
    if (uniforms.length < shots) {
      uniforms = new double[shots];
      outcomes = new long[shots];
      counts = new long[shots];
    }
    for (int s = 0; s < shots; s++) {
      uniforms[s] = rng.nextDouble() * total;
    }
    Arrays.sort(uniforms, 0, shots);
    int distinct = 0;
    int s = 0;
    double cumulative = 0;
    for (int x = 0; x <= last && s < shots; x++) {
      cumulative += probabilities[x];
      // Rounding can leave the last cumulative value a hair below total: the last outcome with
      // mass takes whatever remains.
      double bound = x == last ? Double.POSITIVE_INFINITY : cumulative;
      int start = s;
      while (s < shots && uniforms[s] < bound) {
        s++;
      }
      if (s > start) {
        outcomes[distinct] = x;
        counts[distinct] = s - start;
        distinct++;
      }
    }
    return distinct;
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
