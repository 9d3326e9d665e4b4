package io.qmon.producers.sim;

import java.util.Arrays;

/**
 * Hardware-like noise for sampled runs.
 *
 * <p>Depolarising noise is a global depolarising channel after the circuit: ρ ↦ (1−λ)ρ + λ·I/2^n,
 * which turns the exact probabilities into p'(x) = (1−λ)p(x) + λ/2^n. Readout error flips bit q of
 * each sampled outcome independently with probability e_q, after sampling, as a classical
 * assignment error. Both default to zero ({@link #NONE}).
 */
public record NoiseModel(double depolarising, double[] readoutFlip) {
  /** No noise. */
  public static final NoiseModel NONE = new NoiseModel(0.0, new double[0]);

  /**
   * @param depolarising λ in [0, 1]
   * @param readoutFlip per-qubit flip probabilities in [0, 1]; empty for none, otherwise one per
   *     qubit
   */
  public NoiseModel {
    if (!(depolarising >= 0 && depolarising <= 1)) {
      throw new IllegalArgumentException("depolarising must be in [0, 1], got " + depolarising);
    }
    if (readoutFlip == null) {
      throw new IllegalArgumentException("readoutFlip must not be null (use an empty array)");
    }
    for (int q = 0; q < readoutFlip.length; q++) {
      if (!(readoutFlip[q] >= 0 && readoutFlip[q] <= 1)) {
        throw new IllegalArgumentException(
            "readoutFlip[" + q + "] must be in [0, 1], got " + readoutFlip[q]);
      }
    }
    readoutFlip = readoutFlip.clone();
  }

  /** The same depolarising λ and readout flip probability e on each of {@code qubits} qubits. */
  public static NoiseModel uniform(int qubits, double depolarising, double readoutFlip) {
    double[] flips = new double[qubits];
    Arrays.fill(flips, readoutFlip);
    return new NoiseModel(depolarising, flips);
  }

  @Override
  public double[] readoutFlip() {
    return readoutFlip.clone();
  }

  /** Whether any qubit has a non-zero readout flip probability. */
  public boolean hasReadoutError() {
    for (double e : readoutFlip) {
      if (e > 0) {
        return true;
      }
    }
    return false;
  }

  /** Applies the depolarising channel to dense probabilities in place. */
  public void depolarise(double[] probabilities) {
    if (depolarising == 0) {
      return;
    }
    double floor = depolarising / probabilities.length;
    double keep = 1 - depolarising;
    for (int x = 0; x < probabilities.length; x++) {
      probabilities[x] = keep * probabilities[x] + floor;
    }
  }

  /** Readout flip probability of qubit q (0 when none was given). */
  double flip(int q) {
    return q < readoutFlip.length ? readoutFlip[q] : 0.0;
  }

  void checkQubits(int qubits) {
    if (readoutFlip.length != 0 && readoutFlip.length != qubits) {
      throw new IllegalArgumentException(
          "readoutFlip has " + readoutFlip.length + " entries for " + qubits + " qubits");
    }
  }
}
