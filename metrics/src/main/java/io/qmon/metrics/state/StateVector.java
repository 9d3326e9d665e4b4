package io.qmon.metrics.state;

/**
 * A pure n-qubit state |ψ⟩ = Σ_x (re[x] + i·im[x]) |x⟩, little-endian as in Qiskit: qubit k is bit
 * k of the basis index x.
 *
 * <p>Snapshots are validated once here so the entanglement measures can trust them: the length is a
 * power of two 2^n with 1 ≤ n ≤ {@value #MAX_QUBITS}, every amplitude is finite and the squared
 * norm Σ|a_x|² is 1 within {@value #NORM_TOLERANCE}; the amplitudes are then rescaled to norm
 * exactly 1. Each refusal names the field ({@code re}, {@code im}) so a dead letter can say what
 * was wrong.
 */
public final class StateVector {
  /**
   * The largest qubit count accepted: 2^30 amplitudes is the largest power of two a Java array
   * holds.
   */
  public static final int MAX_QUBITS = 30;

  /** Allowed distance of the squared norm from 1. */
  public static final double NORM_TOLERANCE = 1e-6;

  private final int qubits;
  private final double[] re;
  private final double[] im;

  private StateVector(int qubits, double[] re, double[] im) {
    this.qubits = qubits;
    this.re = re;
    this.im = im;
  }

  /**
   * A state from real and imaginary parts (copied; the arguments are not modified).
   *
   * @throws IllegalArgumentException when an array is null, the arrays differ in length, the length
   *     is not 2^n with 1 ≤ n ≤ {@value #MAX_QUBITS}, an amplitude is not finite, or the squared
   *     norm differs from 1 by more than {@value #NORM_TOLERANCE}
   */
  public static StateVector of(double[] re, double[] im) {
    if (re == null || im == null) {
      throw new IllegalArgumentException((re == null ? "re" : "im") + " is null");
    }
    if (re.length != im.length) {
      throw new IllegalArgumentException(
          "re and im differ in length: re has " + re.length + " amplitudes, im has " + im.length);
    }
    int length = re.length;
    if (length < 2 || Integer.bitCount(length) != 1 || length > (1 << MAX_QUBITS)) {
      throw new IllegalArgumentException(
          "re/im length "
              + length
              + " is not 2^n with 1 <= n <= "
              + MAX_QUBITS
              + ": a statevector of n qubits has 2^n amplitudes");
    }
    double norm = 0;
    for (int x = 0; x < length; x++) {
      if (!Double.isFinite(re[x])) {
        throw new IllegalArgumentException("re[" + x + "] is not finite: " + re[x]);
      }
      if (!Double.isFinite(im[x])) {
        throw new IllegalArgumentException("im[" + x + "] is not finite: " + im[x]);
      }
      norm += re[x] * re[x] + im[x] * im[x];
    }
    if (!(Math.abs(norm - 1.0) <= NORM_TOLERANCE)) {
      throw new IllegalArgumentException(
          "re/im: squared norm Σ|a_x|² = "
              + norm
              + " (norm "
              + Math.sqrt(norm)
              + ") is not within "
              + NORM_TOLERANCE
              + " of 1");
    }
    double scale = 1.0 / Math.sqrt(norm);
    double[] r = new double[length];
    double[] i = new double[length];
    for (int x = 0; x < length; x++) {
      r[x] = re[x] * scale;
      i[x] = im[x] * scale;
    }
    return new StateVector(Integer.numberOfTrailingZeros(length), r, i);
  }

  public int qubits() {
    return qubits;
  }

  /** Number of amplitudes, 2^n. */
  public int dimension() {
    return re.length;
  }

  public double re(int x) {
    return re[x];
  }

  public double im(int x) {
    return im[x];
  }
}
