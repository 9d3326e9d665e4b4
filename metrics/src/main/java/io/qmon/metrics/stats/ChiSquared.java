package io.qmon.metrics.stats;

/** The chi-square distribution: CDF and quantile, as {@code scipy.stats.chi2}. */
public final class ChiSquared {
  private ChiSquared() {}

  /** P(X ≤ x) with k degrees of freedom: P(k/2, x/2). */
  public static double cdf(double x, double df) {
    checkDf(df);
    return x <= 0 ? 0 : SpecialFunctions.gammaP(df / 2, x / 2);
  }

  /** The chi-square quantile {@code scipy.stats.chi2.ppf(p, df)}. */
  public static double quantile(double p, double df) {
    checkDf(df);
    if (!(p > 0 && p < 1)) {
      throw new IllegalArgumentException("probability must be in (0, 1), got " + p);
    }
    // Wilson–Hilferty start, then Newton on whichever tail is smaller for precision.
    double z = NormalDistribution.quantile(p);
    double h = 2 / (9 * df);
    double start = Math.max(1e-300, df * Math.pow(1 - h + z * Math.sqrt(h), 3));
    double hi = Math.max(1, 2 * start);
    while (cdf(hi, df) < p) {
      hi *= 2;
    }
    if (p > 0.5) {
      double tail = 1 - p;
      return MonotoneSolver.solve(
          x -> tail - SpecialFunctions.gammaQ(df / 2, x / 2),
          x -> density(x, df),
          0,
          hi,
          Math.min(start, hi));
    }
    return MonotoneSolver.solve(
        x -> cdf(x, df) - p, x -> density(x, df), 0, hi, Math.min(start, hi));
  }

  /** The chi-square density with k degrees of freedom. */
  public static double density(double x, double df) {
    if (x <= 0) {
      return 0;
    }
    double k = df / 2;
    return Math.exp((k - 1) * Math.log(x) - x / 2 - k * Math.log(2) - SpecialFunctions.lnGamma(k));
  }

  private static void checkDf(double df) {
    if (!(df > 0) || Double.isInfinite(df)) {
      throw new IllegalArgumentException("degrees of freedom must be finite and > 0, got " + df);
    }
  }
}
