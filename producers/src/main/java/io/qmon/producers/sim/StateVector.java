package io.qmon.producers.sim;

import java.util.Arrays;

/**
 * The state of n qubits as 2^n complex amplitudes, with gates applied in place.
 *
 * <p>Amplitudes live in two {@code double[]} arrays (real and imaginary parts) so that no gate
 * allocates. Qubit 0 is the least significant bit of the basis-state index (Qiskit's little-endian
 * convention), so index x is the outcome Qiskit reports as the count key for x. While every applied
 * gate has a real matrix (H, X, Z, RY, CX, CZ, SWAP, CRY) the imaginary part stays zero and is not
 * touched, which halves the work of real ansätze such as RealAmplitudes.
 *
 * <p>Not thread-safe: a worker thread owns its state vector.
 */
public final class StateVector {
  /** The largest supported qubit count: 2^24 amplitudes take 256 MiB. */
  public static final int MAX_QUBITS = 24;

  private static final double SQRT_HALF = Math.sqrt(0.5);
  private static final int SHORT_RUN = 8;

  private final int qubits;
  private final int size;
  private final double[] re;
  private final double[] im;
  private boolean real;

  /** A state vector over {@code qubits} qubits, initialised to |0…0⟩. */
  public StateVector(int qubits) {
    if (qubits < 1 || qubits > MAX_QUBITS) {
      throw new IllegalArgumentException(
          "qubits must be in [1, " + MAX_QUBITS + "], got " + qubits);
    }
    this.qubits = qubits;
    this.size = 1 << qubits;
    this.re = new double[size];
    this.im = new double[size];
    reset();
  }

  public int qubits() {
    return qubits;
  }

  /** Number of amplitudes, 2^n. */
  public int size() {
    return size;
  }

  /** Sets the state to |0…0⟩. */
  public void reset() {
    Arrays.fill(re, 0.0);
    Arrays.fill(im, 0.0);
    re[0] = 1.0;
    real = true;
  }

  /**
   * Sets real amplitudes directly (exact state preparation, not a circuit).
   *
   * @throws IllegalArgumentException when the length is not 2^n or the vector is not normalised
   */
  public void setRealAmplitudes(double[] amplitudes) {
    if (amplitudes.length != size) {
      throw new IllegalArgumentException(
          "amplitudes must have 2^" + qubits + " = " + size + " entries, got " + amplitudes.length);
    }
    double norm = 0;
    for (double a : amplitudes) {
      norm += a * a;
    }
    if (Math.abs(norm - 1.0) > 1e-9) {
      throw new IllegalArgumentException("amplitudes must have unit norm, got norm² " + norm);
    }
    System.arraycopy(amplitudes, 0, re, 0, size);
    Arrays.fill(im, 0.0);
    real = true;
  }

  /** Real part of amplitude x. */
  public double re(int x) {
    return re[x];
  }

  /** Imaginary part of amplitude x. */
  public double im(int x) {
    return im[x];
  }

  /** Writes the Born probabilities |a_x|² into {@code out}, which must hold 2^n entries. */
  public void probabilities(double[] out) {
    if (out.length != size) {
      throw new IllegalArgumentException(
          "out must have 2^" + qubits + " = " + size + " entries, got " + out.length);
    }
    if (real) {
      for (int x = 0; x < size; x++) {
        out[x] = re[x] * re[x];
      }
    } else {
      for (int x = 0; x < size; x++) {
        out[x] = re[x] * re[x] + im[x] * im[x];
      }
    }
  }

  /** Born probabilities in a new array. */
  public double[] probabilities() {
    double[] out = new double[size];
    probabilities(out);
    return out;
  }

  /** Hadamard on qubit q. */
  public void h(int q) {
    realMatrix(q, SQRT_HALF, SQRT_HALF, SQRT_HALF, -SQRT_HALF);
  }

  /** Pauli X (NOT) on qubit q. */
  public void x(int q) {
    int bit = bit(q);
    for (int k = 0, half = size >> 1; k < half; k++) {
      int i = insertZero(k, bit);
      swapAmplitudes(i, i | bit);
    }
  }

  /** Pauli Y on qubit q: |0⟩ → i|1⟩, |1⟩ → −i|0⟩. */
  public void y(int q) {
    int bit = bit(q);
    for (int i = 0; i < size; i++) {
      if ((i & bit) == 0) {
        int j = i | bit;
        double r0 = re[i];
        double i0 = im[i];
        // a0' = -i a1, a1' = i a0
        re[i] = im[j];
        im[i] = -re[j];
        re[j] = -i0;
        im[j] = r0;
      }
    }
    real = false;
  }

  /** Pauli Z on qubit q. */
  public void z(int q) {
    int bit = bit(q);
    for (int i = 0; i < size; i++) {
      if ((i & bit) != 0) {
        re[i] = -re[i];
        im[i] = -im[i];
      }
    }
  }

  /** Phase gate S = diag(1, i) on qubit q. */
  public void s(int q) {
    phase(q, 0.0, 1.0);
  }

  /** T = diag(1, e^{iπ/4}) on qubit q. */
  public void t(int q) {
    phase(q, SQRT_HALF, SQRT_HALF);
  }

  /** RX(θ) = exp(−iθX/2) on qubit q. */
  public void rx(int q, double theta) {
    double c = Math.cos(theta / 2);
    double s = Math.sin(theta / 2);
    int bit = bit(q);
    for (int i = 0; i < size; i++) {
      if ((i & bit) == 0) {
        int j = i | bit;
        double r0 = re[i];
        double i0 = im[i];
        double r1 = re[j];
        double i1 = im[j];
        // a0' = c a0 − i s a1, a1' = −i s a0 + c a1
        re[i] = c * r0 + s * i1;
        im[i] = c * i0 - s * r1;
        re[j] = s * i0 + c * r1;
        im[j] = -s * r0 + c * i1;
      }
    }
    real = false;
  }

  /** RY(θ) = exp(−iθY/2) on qubit q: a real rotation by θ/2. */
  public void ry(int q, double theta) {
    double c = Math.cos(theta / 2);
    double s = Math.sin(theta / 2);
    realMatrix(q, c, -s, s, c);
  }

  /** RZ(θ) = diag(e^{−iθ/2}, e^{iθ/2}) on qubit q. */
  public void rz(int q, double theta) {
    double c = Math.cos(theta / 2);
    double s = Math.sin(theta / 2);
    int bit = bit(q);
    for (int i = 0; i < size; i++) {
      double r = re[i];
      double m = im[i];
      // multiply by c − i s on |0⟩ and by c + i s on |1⟩
      double sign = (i & bit) == 0 ? -s : s;
      re[i] = c * r - sign * m;
      im[i] = c * m + sign * r;
    }
    real = false;
  }

  /** Controlled NOT with control c and target t. */
  public void cx(int c, int t) {
    int cbit = bit(c);
    int tbit = bit(t);
    checkDistinct(c, t);
    for (int k = 0, quarter = size >> 2; k < quarter; k++) {
      int i = insertZeros(k, cbit, tbit) | cbit;
      swapAmplitudes(i, i | tbit);
    }
  }

  /** Controlled Z on qubits a and b (symmetric). */
  public void cz(int a, int b) {
    int abit = bit(a);
    int bbit = bit(b);
    checkDistinct(a, b);
    for (int k = 0, quarter = size >> 2; k < quarter; k++) {
      int i = insertZeros(k, abit, bbit) | abit | bbit;
      re[i] = -re[i];
      im[i] = -im[i];
    }
  }

  /** Swaps qubits a and b. */
  public void swap(int a, int b) {
    int abit = bit(a);
    int bbit = bit(b);
    checkDistinct(a, b);
    for (int k = 0, quarter = size >> 2; k < quarter; k++) {
      int i = insertZeros(k, abit, bbit);
      swapAmplitudes(i | abit, i | bbit);
    }
  }

  /** Controlled RY(θ): RY on target t where control c is 1. */
  public void cry(int c, int t, double theta) {
    int cbit = bit(c);
    int tbit = bit(t);
    checkDistinct(c, t);
    double cos = Math.cos(theta / 2);
    double sin = Math.sin(theta / 2);
    for (int k = 0, quarter = size >> 2; k < quarter; k++) {
      int i = insertZeros(k, cbit, tbit) | cbit;
      rotatePair(i, i | tbit, cos, -sin, sin, cos);
    }
  }

  private void realMatrix(int q, double m00, double m01, double m10, double m11) {
    int bit = bit(q);
    rotateReal(re, bit, m00, m01, m10, m11);
    if (!real) {
      rotateReal(im, bit, m00, m01, m10, m11);
    }
  }

  private void rotateReal(double[] a, int bit, double m00, double m01, double m10, double m11) {
    if (bit < SHORT_RUN) {
      // Runs of fewer than SHORT_RUN pairs make the nested loop below mostly loop overhead.
      for (int k = 0, half = size >> 1; k < half; k++) {
        int i = insertZero(k, bit);
        int j = i | bit;
        double a0 = a[i];
        double a1 = a[j];
        a[i] = m00 * a0 + m01 * a1;
        a[j] = m10 * a0 + m11 * a1;
      }
      return;
    }
    for (int base = 0; base < size; base += bit << 1) {
      for (int i = base, end = base + bit; i < end; i++) {
        int j = i + bit;
        double a0 = a[i];
        double a1 = a[j];
        a[i] = m00 * a0 + m01 * a1;
        a[j] = m10 * a0 + m11 * a1;
      }
    }
  }

  private void rotatePair(int i, int j, double m00, double m01, double m10, double m11) {
    double r0 = re[i];
    double r1 = re[j];
    re[i] = m00 * r0 + m01 * r1;
    re[j] = m10 * r0 + m11 * r1;
    if (!real) {
      double i0 = im[i];
      double i1 = im[j];
      im[i] = m00 * i0 + m01 * i1;
      im[j] = m10 * i0 + m11 * i1;
    }
  }

  private void phase(int q, double cos, double sin) {
    int bit = bit(q);
    for (int i = 0; i < size; i++) {
      if ((i & bit) != 0) {
        double r = re[i];
        double m = im[i];
        re[i] = cos * r - sin * m;
        im[i] = cos * m + sin * r;
      }
    }
    real = false;
  }

  private void swapAmplitudes(int i, int j) {
    double r = re[i];
    re[i] = re[j];
    re[j] = r;
    if (!real) {
      double m = im[i];
      im[i] = im[j];
      im[j] = m;
    }
  }

  /**
   * The k-th index (in increasing order) whose {@code bit} is clear: k with a zero spliced in at
   * that bit's position. Lets a gate visit only the amplitudes it changes, without branching.
   */
  private static int insertZero(int k, int bit) {
    int low = k & (bit - 1);
    return ((k ^ low) << 1) | low;
  }

  /** The k-th index whose two distinct bits are both clear. */
  private static int insertZeros(int k, int bitA, int bitB) {
    int lo = Math.min(bitA, bitB);
    int hi = Math.max(bitA, bitB);
    return insertZero(insertZero(k, lo), hi);
  }

  private int bit(int q) {
    if (q < 0 || q >= qubits) {
      throw new IllegalArgumentException("qubit " + q + " is outside [0, " + qubits + ")");
    }
    return 1 << q;
  }

  private static void checkDistinct(int a, int b) {
    if (a == b) {
      throw new IllegalArgumentException(
          "a two-qubit gate needs distinct qubits, got " + a + " twice");
    }
  }
}
