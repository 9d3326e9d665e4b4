package io.qmon.metrics.stats;

/** The standard normal distribution: CDF and quantile, as {@code scipy.stats.norm}. */
public final class NormalDistribution {
  private static final double[] A = {
    -3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
    1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00
  };
  private static final double[] B = {
    -5.447609879822406e+01,
    1.615858368580409e+02,
    -1.556989798598866e+02,
    6.680131188771972e+01,
    -1.328068155288572e+01
  };
  private static final double[] C = {
    -7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
    -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00
  };
  private static final double[] D = {
    7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00
  };

  private NormalDistribution() {}

  /** Φ(z) = P(Z ≤ z), through the incomplete gamma function to keep tail accuracy. */
  public static double cdf(double z) {
    double half = 0.5 * SpecialFunctions.gammaQ(0.5, 0.5 * z * z);
    return z < 0 ? half : 1 - half;
  }

  /** The standard normal density. */
  public static double density(double z) {
    return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
  }

  /**
   * Φ⁻¹(p): Acklam's rational approximation (1e-9) polished by two Halley steps on the tail
   * probability, which brings it to about 1e-15 relative.
   */
  public static double quantile(double p) {
    if (!(p > 0 && p < 1)) {
      throw new IllegalArgumentException("probability must be in (0, 1), got " + p);
    }
    if (p > 0.5) {
      return -quantile(1 - p);
    }
    double x;
    if (p < 0.02425) {
      double q = Math.sqrt(-2 * Math.log(p));
      x =
          (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
              / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
    } else {
      double q = p - 0.5;
      double r = q * q;
      x =
          (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5])
              * q
              / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
    }
    for (int i = 0; i < 2; i++) {
      double e = cdf(x) - p;
      double u = e / density(x);
      x = x - u / (1 + x * u / 2);
    }
    return x;
  }
}
