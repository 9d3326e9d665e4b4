package io.qmon.metrics.state;

/**
 * The n single-qubit reduced states ρ_k = [[p0_k, c_k], [conj(c_k), p1_k]] of a pure state, from
 * which each single-qubit cut's entropy (closed-form 2×2 eigenvalues) and the Meyer–Wallach Q (from
 * the purities Tr ρ_k²) follow without any matrix solver.
 *
 * <p>Cost: one streaming sweep over the 2^n amplitudes per qubit, n·2^(n−1) complex multiply-adds
 * in all; 3n doubles of memory.
 */
public final class SingleQubitStates {
  private static final double LN2 = Math.log(2.0);

  private final double[] p0;
  private final double[] p1;
  private final double[] cRe;
  private final double[] cIm;

  private SingleQubitStates(double[] p0, double[] p1, double[] cRe, double[] cIm) {
    this.p0 = p0;
    this.p1 = p1;
    this.cRe = cRe;
    this.cIm = cIm;
  }

  static SingleQubitStates of(StateVector state) {
    int n = state.qubits();
    int dim = state.dimension();
    double[] p0 = new double[n];
    double[] p1 = new double[n];
    double[] cRe = new double[n];
    double[] cIm = new double[n];
    for (int k = 0; k < n; k++) {
      int bit = 1 << k;
      double s0 = 0;
      double s1 = 0;
      double sr = 0;
      double si = 0;
      // Pairs (x, x|bit) with bit k clear: blocks of 2^k consecutive x, every 2^(k+1).
      for (int base = 0; base < dim; base += bit << 1) {
        for (int x = base; x < base + bit; x++) {
          int y = x + bit;
          double xr = state.re(x);
          double xi = state.im(x);
          double yr = state.re(y);
          double yi = state.im(y);
          s0 += xr * xr + xi * xi;
          s1 += yr * yr + yi * yi;
          // ρ01 = Σ a_x · conj(a_y)
          sr += xr * yr + xi * yi;
          si += xi * yr - xr * yi;
        }
      }
      p0[k] = s0;
      p1[k] = s1;
      cRe[k] = sr;
      cIm[k] = si;
    }
    return new SingleQubitStates(p0, p1, cRe, cIm);
  }

  public int qubits() {
    return p0.length;
  }

  /** Tr ρ_k² = p0² + p1² + 2|c|², in [½, 1]. */
  public double purity(int k) {
    return p0[k] * p0[k] + p1[k] * p1[k] + 2 * (cRe[k] * cRe[k] + cIm[k] * cIm[k]);
  }

  /**
   * S(ρ_k) in bits: with trace t and λ± = (t ± √((p0 − p1)² + 4|c|²))/2 the eigenvalues of the 2×2
   * Hermitian ρ_k.
   */
  public double entropyBits(int k) {
    double t = p0[k] + p1[k];
    double diff = p0[k] - p1[k];
    double disc = Math.sqrt(diff * diff + 4 * (cRe[k] * cRe[k] + cIm[k] * cIm[k]));
    double high = 0.5 * (t + disc);
    double low = t - high;
    return Math.max(0.0, (xLogX(high) + xLogX(low)) / -LN2);
  }

  /** Mean of {@link #entropyBits} over the n qubits. */
  public double meanEntropyBits() {
    double sum = 0;
    for (int k = 0; k < p0.length; k++) {
      sum += entropyBits(k);
    }
    return sum / p0.length;
  }

  /** Meyer–Wallach Q = 2(1 − mean purity), clamped to [0, 1] against rounding. */
  public double meyerWallach() {
    double sum = 0;
    for (int k = 0; k < p0.length; k++) {
      sum += purity(k);
    }
    return Math.min(1.0, Math.max(0.0, 2 * (1 - sum / p0.length)));
  }

  private static double xLogX(double x) {
    return x > 0 ? x * Math.log(x) : 0;
  }
}
