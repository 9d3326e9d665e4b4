package io.qmon.metrics.state;

/**
 * A pure n-qubit state |ψ⟩ = Σ_x (re[x] + i·im[x]) |x⟩, little-endian as in Qiskit: qubit k is bit
 * k of the basis index x.
 *
 * <p>Snapshots are validated once here so the entanglement measures can trust them: the length is a
 * power of two (at most 2^30) and the norm is 1 within 1e-6; the amplitudes are rescaled to norm
 * exactly 1.
 */
public final class StateVector {
  private static final double NORM_TOLERANCE = 1e-6;

  private final int qubits;
  private final double[] re;
  private final double[] im;

  private StateVector(int qubits, double[] re, double[] im) {
    this.qubits = qubits;
    this.re = re;
    this.im = im;
  }

  /**
   * A state from real and imaginary parts.
   *
   * @throws IllegalArgumentException when the arrays differ in length, the length is not a power of
   *     two ≥ 2, an amplitude is not finite, or the norm differs from 1 by more than 1e-6
   */
  public static StateVector of(double[] re, double[] im) {
    if (re.length != im.length) {
      throw new IllegalArgumentException(
          "re and im differ in length: " + re.length + " != " + im.length);
    }
    int length = re.length;
    if (length < 2 || Integer.bitCount(length) != 1) {
      throw new IllegalArgumentException(
          "A statevector needs 2^n amplitudes with n >= 1, got " + length);
    }
    double norm = 0;
    for (int x = 0; x < length; x++) {
      if (!Double.isFinite(re[x]) || !Double.isFinite(im[x])) {
        throw new IllegalArgumentException("Amplitude " + x + " is not finite.");
      }
      norm += re[x] * re[x] + im[x] * im[x];
    }
    if (Math.abs(norm - 1.0) > NORM_TOLERANCE) {
      throw new IllegalArgumentException("Statevector norm² " + norm + " is not 1.");
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
