package io.qmon.metrics.state;

/**
 * Entanglement measures of a pure state snapshot: the von Neumann entropy of a bipartition and the
 * Meyer–Wallach global entanglement.
 *
 * <p>For a bipartition A|B the reduced states ρ_A and ρ_B share their non-zero spectrum (Schmidt
 * decomposition), so the smaller of the two is built, as M·M† with M the 2^|A|×2^|B| reshaped
 * amplitude matrix, and diagonalised with {@link HermitianEigen}: cost O(2^n·d + d³) with d =
 * 2^min(|A|,|B|), practical up to about 8 qubits on the smaller side.
 */
public final class Entanglement {
  private static final double LN2 = Math.log(2.0);

  private Entanglement() {}

  /**
   * S(ρ_A) = −Tr ρ_A log₂ ρ_A of the reduced state on {@code subsystem} (qubit indices, bit k of
   * the basis index is qubit k), in bits; in [0, min(|A|, |B|)]. As Qiskit's {@code
   * entropy(partial_trace(state, traced_out), base=2)}.
   *
   * @throws IllegalArgumentException when a qubit index is out of range or repeated
   */
  public static double vonNeumannBits(StateVector state, int... subsystem) {
    int n = state.qubits();
    boolean[] inA = new boolean[n];
    for (int k : subsystem) {
      if (k < 0 || k >= n) {
        throw new IllegalArgumentException("Qubit " + k + " is outside the " + n + "-qubit state.");
      }
      if (inA[k]) {
        throw new IllegalArgumentException("Qubit " + k + " appears twice in the subsystem.");
      }
      inA[k] = true;
    }
    int sizeA = subsystem.length;
    if (sizeA == 0 || sizeA == n) {
      return 0.0;
    }
    boolean keepA = sizeA <= n - sizeA;
    int[] kept = new int[keepA ? sizeA : n - sizeA];
    int[] other = new int[n - kept.length];
    int ki = 0;
    int oi = 0;
    for (int k = 0; k < n; k++) {
      if (inA[k] == keepA) {
        kept[ki++] = k;
      } else {
        other[oi++] = k;
      }
    }
    int d = 1 << kept.length;
    double[][] re = new double[d][d];
    double[][] im = new double[d][d];
    reduce(state, kept, other, re, im);
    double[] spectrum = HermitianEigen.eigenvalues(re, im);
    double sum = 0;
    for (double lambda : spectrum) {
      if (lambda > 0) {
        sum -= lambda * Math.log(lambda);
      }
    }
    return Math.max(0.0, sum / LN2);
  }

  /**
   * Meyer–Wallach global entanglement Q = 2(1 − (1/n)Σ_k Tr ρ_k²), with ρ_k the reduced state of
   * qubit k; 0 for product states, 1 for GHZ states, in [0, 1].
   */
  public static double meyerWallach(StateVector state) {
    int n = state.qubits();
    double puritySum = 0;
    for (int k = 0; k < n; k++) {
      int bit = 1 << k;
      double r00 = 0;
      double r01re = 0;
      double r01im = 0;
      for (int x = 0; x < state.dimension(); x++) {
        if ((x & bit) != 0) {
          continue;
        }
        int y = x | bit;
        r00 += state.re(x) * state.re(x) + state.im(x) * state.im(x);
        // ρ01 = Σ a_x · conj(a_y)
        r01re += state.re(x) * state.re(y) + state.im(x) * state.im(y);
        r01im += state.im(x) * state.re(y) - state.re(x) * state.im(y);
      }
      double r11 = 1.0 - r00;
      puritySum += r00 * r00 + r11 * r11 + 2 * (r01re * r01re + r01im * r01im);
    }
    return Math.min(1.0, Math.max(0.0, 2 * (1 - puritySum / n)));
  }

  /** Fills ρ = re + i·im on the {@code kept} qubits, tracing out {@code other}. */
  private static void reduce(
      StateVector state, int[] kept, int[] other, double[][] re, double[][] im) {
    int d = 1 << kept.length;
    int e = 1 << other.length;
    int[] keptIndex = new int[d];
    for (int a = 0; a < d; a++) {
      keptIndex[a] = spread(a, kept);
    }
    int[] otherIndex = new int[e];
    for (int b = 0; b < e; b++) {
      otherIndex[b] = spread(b, other);
    }
    for (int a = 0; a < d; a++) {
      for (int a2 = a; a2 < d; a2++) {
        double sumRe = 0;
        double sumIm = 0;
        for (int b = 0; b < e; b++) {
          int x = keptIndex[a] | otherIndex[b];
          int y = keptIndex[a2] | otherIndex[b];
          // a_x · conj(a_y)
          sumRe += state.re(x) * state.re(y) + state.im(x) * state.im(y);
          sumIm += state.im(x) * state.re(y) - state.re(x) * state.im(y);
        }
        re[a][a2] = sumRe;
        re[a2][a] = sumRe;
        im[a][a2] = sumIm;
        im[a2][a] = -sumIm;
      }
    }
  }

  /** Places the bits of {@code compact} at the qubit positions listed in {@code positions}. */
  private static int spread(int compact, int[] positions) {
    int x = 0;
    for (int i = 0; i < positions.length; i++) {
      if ((compact & (1 << i)) != 0) {
        x |= 1 << positions[i];
      }
    }
    return x;
  }
}
