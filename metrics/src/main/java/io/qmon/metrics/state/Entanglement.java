package io.qmon.metrics.state;

import org.ejml.data.ZMatrixRMaj;

/**
 * Entanglement measures of a pure state snapshot: the von Neumann entropy of a bipartition and the
 * Meyer–Wallach global entanglement.
 *
 * <p>The entropy of a pure state's cut A|B is the Shannon entropy of its squared Schmidt
 * coefficients: the squared singular values of the 2^|A|×2^|B| reshaped amplitude matrix M, which
 * are the eigenvalues of the smaller Gram matrix M·M† (the reduced state of the smaller side).
 * Costs, with d = 2^min(|A|,|B|):
 *
 * <ul>
 *   <li>a single-qubit cut: the 2×2 reduced state in one pass over the amplitudes and closed-form
 *       eigenvalues, O(2^n); all n single-qubit states together ({@link #singleQubitStates}) in
 *       O(n·2^n);
 *   <li>any other cut: gathering M's rows, O(2^n); the Gram matrix, ½·2^n·d complex multiply-adds;
 *       its eigenvalues by {@link HermitianSpectrum}, (2/3)·d³. For the half cut of n qubits, d =
 *       2^⌊n/2⌋: O(2^{3n/2}), ~1 ms at 12 qubits and tens of ms at 16 (measured figures in
 *       metrics/README.md); memory 16·(2^n + d²) bytes.
 * </ul>
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
    if (sizeA == 1 || sizeA == n - 1) {
      int single = sizeA == 1 ? subsystem[0] : firstMissing(inA);
      return singleQubitStates(state).entropyBits(single);
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
    return spectrumEntropyBits(reducedSpectrum(state, kept, other));
  }

  /**
   * The half cut, qubits {0..⌊n/2⌋−1} | the rest, in bits; 0 for one qubit. The same value as
   * {@code vonNeumannBits(state, 0, 1, …, ⌊n/2⌋−1)}.
   */
  public static double halfCutBits(StateVector state) {
    int n = state.qubits();
    int[] half = new int[n / 2];
    for (int k = 0; k < half.length; k++) {
      half[k] = k;
    }
    return vonNeumannBits(state, half);
  }

  /**
   * Meyer–Wallach global entanglement Q = 2(1 − (1/n)Σ_k Tr ρ_k²), with ρ_k the reduced state of
   * qubit k; 0 for product states, 1 for GHZ states, in [0, 1].
   */
  public static double meyerWallach(StateVector state) {
    return singleQubitStates(state).meyerWallach();
  }

  /** The n single-qubit reduced states of {@code state}, in O(n·2^n). */
  public static SingleQubitStates singleQubitStates(StateVector state) {
    return SingleQubitStates.of(state);
  }

  /** −Σ λ log₂ λ over the positive λ; eigenvalues below 0 are rounding noise of a PSD matrix. */
  static double spectrumEntropyBits(double[] spectrum) {
    double sum = 0;
    for (double lambda : spectrum) {
      if (lambda > 0) {
        sum -= lambda * Math.log(lambda);
      }
    }
    return Math.max(0.0, sum / LN2);
  }

  /**
   * The eigenvalues of the reduced state on {@code kept} (the smaller side), the Gram matrix M·M†
   * of the amplitude matrix M[a][b] = ψ(a on kept, b on other).
   */
  static double[] reducedSpectrum(StateVector state, int[] kept, int[] other) {
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
    // M's rows contiguous, so the Gram entries are dot products of two contiguous rows.
    double[] mr = new double[d * e];
    double[] mi = new double[d * e];
    for (int a = 0; a < d; a++) {
      int row = a * e;
      int xa = keptIndex[a];
      for (int b = 0; b < e; b++) {
        int x = xa | otherIndex[b];
        mr[row + b] = state.re(x);
        mi[row + b] = state.im(x);
      }
    }
    ZMatrixRMaj gram = new ZMatrixRMaj(d, d);
    gramUpper(mr, mi, d, e, gram.data);
    return HermitianSpectrum.eigenvaluesOfUpper(gram);
  }

  /**
   * The upper triangle of G = M·M†, G[a][a'] = Σ_b M[a][b]·conj(M[a'][b]) for a ≤ a', M d×e
   * row-major, into {@code out} interleaved (re, im) row-major d×d as EJML's {@code ZMatrixRMaj}.
   */
  static void gramUpper(double[] mr, double[] mi, int d, int e, double[] out) {
    if ((d & 1) != 0) {
      throw new IllegalArgumentException("d must be even, got " + d);
    }
    // 2×2 blocks of G: four dot products share each row load, eight independent accumulators.
    for (int a = 0; a < d; a += 2) {
      int r0 = a * e;
      int r1 = r0 + e;
      for (int a2 = a; a2 < d; a2 += 2) {
        int s0 = a2 * e;
        int s1 = s0 + e;
        double r00 = 0;
        double i00 = 0;
        double r01 = 0;
        double i01 = 0;
        double r10 = 0;
        double i10 = 0;
        double r11 = 0;
        double i11 = 0;
        for (int b = 0; b < e; b++) {
          double xr = mr[r0 + b];
          double xi = mi[r0 + b];
          double zr = mr[r1 + b];
          double zi = mi[r1 + b];
          double yr = mr[s0 + b];
          double yi = mi[s0 + b];
          double wr = mr[s1 + b];
          double wi = mi[s1 + b];
          // x·conj(y) = (xr·yr + xi·yi) + i(xi·yr − xr·yi)
          r00 += xr * yr + xi * yi;
          i00 += xi * yr - xr * yi;
          r01 += xr * wr + xi * wi;
          i01 += xi * wr - xr * wi;
          r10 += zr * yr + zi * yi;
          i10 += zi * yr - zr * yi;
          r11 += zr * wr + zi * wi;
          i11 += zi * wr - zr * wi;
        }
        int o0 = 2 * (a * d + a2);
        int o1 = o0 + 2 * d;
        out[o0] = r00;
        out[o0 + 1] = i00;
        out[o0 + 2] = r01;
        out[o0 + 3] = i01;
        out[o1 + 2] = r11;
        out[o1 + 3] = i11;
        if (a2 != a) {
          // On a diagonal block, (a+1, a) is in the lower triangle, which is not read.
          out[o1] = r10;
          out[o1 + 1] = i10;
        }
      }
    }
  }

  private static int firstMissing(boolean[] inA) {
    for (int k = 0; k < inA.length; k++) {
      if (!inA[k]) {
        return k;
      }
    }
    throw new IllegalStateException("no qubit outside the subsystem");
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
