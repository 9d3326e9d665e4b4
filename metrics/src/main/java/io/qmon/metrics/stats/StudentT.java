package io.qmon.metrics.stats;

/**
 * Student's t distribution: CDF and quantile for any real degrees of freedom ν > 0, as {@code
 * scipy.stats.t}.
 *
 * <p>The upper tail is ½·I_{ν/(ν+t²)}(ν/2, ½) (regularised incomplete beta); the quantile inverts
 * it by safeguarded Newton iteration, with the closed forms for ν = 1 and ν = 2.
 */
public final class StudentT {
  private StudentT() {}

  /** P(T ≤ t) with ν degrees of freedom. */
  public static double cdf(double t, double df) {
    checkDf(df);
    double tail = upperTail(Math.abs(t), df);
    return t < 0 ? tail : 1 - tail;
  }

  /**
   * The t value below which a share p of the distribution lies: {@code scipy.stats.t.ppf(p, df)}.
   */
  public static double quantile(double p, double df) {
    checkDf(df);
    if (!(p > 0 && p < 1)) {
      throw new IllegalArgumentException("probability must be in (0, 1), got " + p);
    }
    if (p == 0.5) {
      return 0.0;
    }
    if (p < 0.5) {
      return -quantile(1 - p, df);
    }
    double tail = 1 - p;
    if (df == 1) {
      return 1 / Math.tan(Math.PI * tail);
    }
    if (df == 2) {
      return (1 - 2 * tail) / Math.sqrt(2 * tail * (1 - tail));
    }
    double z = NormalDistribution.quantile(p);
    double start = z + (z * z * z + z) / (4 * df);
    double hi = Math.max(1, start);
    while (upperTail(hi, df) > tail) {
      hi *= 2;
    }
    // Solve tail − upperTail(t) = 0, increasing in t.
    return MonotoneSolver.solve(
        t -> tail - upperTail(t, df), t -> density(t, df), 0, hi, Math.min(start, hi));
  }

  /** The t density with ν degrees of freedom. */
  public static double density(double t, double df) {
    double lnNorm =
        SpecialFunctions.lnGamma((df + 1) / 2)
            - SpecialFunctions.lnGamma(df / 2)
            - 0.5 * Math.log(df * Math.PI);
    return Math.exp(lnNorm - (df + 1) / 2 * Math.log1p(t * t / df));
  }

  /** P(T > t) for t ≥ 0. */
  private static double upperTail(double t, double df) {
    double t2 = t * t;
    double x = df / (df + t2);
    double y = t2 / (df + t2);
    return 0.5 * SpecialFunctions.regularizedBeta(x, y, df / 2, 0.5);
  }

  private static void checkDf(double df) {
    if (!(df > 0) || Double.isInfinite(df)) {
      throw new IllegalArgumentException("degrees of freedom must be finite and > 0, got " + df);
    }
  }
}
