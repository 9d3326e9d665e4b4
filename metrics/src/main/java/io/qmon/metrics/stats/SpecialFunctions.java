package io.qmon.metrics.stats;

/**
 * Log-gamma, regularised incomplete gamma and beta functions, to about 1e-14 relative.
 *
 * <p>Why here: the t and chi-square quantiles behind confidence intervals and shot-noise floors
 * need them, and the module takes no dependency beyond the JDK. Methods follow Numerical Recipes
 * (3rd ed., §6.1–6.4): Lanczos log-gamma, series and Lentz continued fractions.
 */
public final class SpecialFunctions {
  private static final double EPS = 1e-16;
  private static final double TINY = 1e-300;
  private static final int MAX_ITERATIONS = 100_000;
  private static final double[] LANCZOS = {
    0.99999999999980993,
    676.5203681218851,
    -1259.1392167224028,
    771.32342877765313,
    -176.61502916214059,
    12.507343278686905,
    -0.13857109526572012,
    9.9843695780195716e-6,
    1.5056327351493116e-7
  };

  private SpecialFunctions() {}

  /** ln Γ(x) for x > 0. */
  public static double lnGamma(double x) {
    if (!(x > 0)) {
      throw new IllegalArgumentException("lnGamma needs x > 0, got " + x);
    }
    if (x < 0.5) {
      // Reflection keeps the Lanczos sum in its accurate range.
      return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
    }
    double z = x - 1;
    double sum = LANCZOS[0];
    for (int i = 1; i < LANCZOS.length; i++) {
      sum += LANCZOS[i] / (z + i);
    }
    double t = z + 7.5;
    return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
  }

  /** ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a+b). */
  public static double lnBeta(double a, double b) {
    return lnGamma(a) + lnGamma(b) - lnGamma(a + b);
  }

  /** Regularised lower incomplete gamma P(a, x) = γ(a, x)/Γ(a). */
  public static double gammaP(double a, double x) {
    checkGamma(a, x);
    if (x == 0) {
      return 0;
    }
    return x < a + 1 ? gammaSeries(a, x) : 1 - gammaContinuedFraction(a, x);
  }

  /** Regularised upper incomplete gamma Q(a, x) = 1 − P(a, x), accurate in the upper tail. */
  public static double gammaQ(double a, double x) {
    checkGamma(a, x);
    if (x == 0) {
      return 1;
    }
    return x < a + 1 ? 1 - gammaSeries(a, x) : gammaContinuedFraction(a, x);
  }

  private static void checkGamma(double a, double x) {
    if (!(a > 0) || !(x >= 0)) {
      throw new IllegalArgumentException(
          "Incomplete gamma needs a > 0, x >= 0; got " + a + ", " + x);
    }
  }

  private static double gammaSeries(double a, double x) {
    double ap = a;
    double term = 1 / a;
    double sum = term;
    for (int n = 0; n < MAX_ITERATIONS; n++) {
      ap += 1;
      term *= x / ap;
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * EPS) {
        break;
      }
    }
    return sum * Math.exp(-x + a * Math.log(x) - lnGamma(a));
  }

  private static double gammaContinuedFraction(double a, double x) {
    double b = x + 1 - a;
    double c = 1 / TINY;
    double d = 1 / b;
    double h = d;
    for (int i = 1; i < MAX_ITERATIONS; i++) {
      double an = -i * (i - a);
      b += 2;
      d = an * d + b;
      if (Math.abs(d) < TINY) {
        d = TINY;
      }
      c = b + an / c;
      if (Math.abs(c) < TINY) {
        c = TINY;
      }
      d = 1 / d;
      double delta = d * c;
      h *= delta;
      if (Math.abs(delta - 1) < EPS) {
        break;
      }
    }
    return Math.exp(-x + a * Math.log(x) - lnGamma(a)) * h;
  }

  /**
   * Regularised incomplete beta I_x(a, b), given both x and y = 1 − x so that callers who know 1 −
   * x more precisely than x (or the reverse) lose nothing to cancellation.
   */
  public static double regularizedBeta(double x, double y, double a, double b) {
    if (!(a > 0) || !(b > 0) || !(x >= 0) || !(y >= 0)) {
      throw new IllegalArgumentException(
          "Incomplete beta needs a, b > 0 and x in [0, 1]; got a=" + a + ", b=" + b + ", x=" + x);
    }
    if (x == 0) {
      return 0;
    }
    if (y == 0) {
      return 1;
    }
    double front = Math.exp(a * Math.log(x) + b * Math.log(y) - lnBeta(a, b));
    if (x < (a + 1) / (a + b + 2)) {
      return front * betaContinuedFraction(x, a, b) / a;
    }
    return 1 - front * betaContinuedFraction(y, b, a) / b;
  }

  private static double betaContinuedFraction(double x, double a, double b) {
    double qab = a + b;
    double qap = a + 1;
    double qam = a - 1;
    double c = 1;
    double d = 1 - qab * x / qap;
    if (Math.abs(d) < TINY) {
      d = TINY;
    }
    d = 1 / d;
    double h = d;
    for (int m = 1; m < MAX_ITERATIONS; m++) {
      int m2 = 2 * m;
      double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
      d = 1 + aa * d;
      if (Math.abs(d) < TINY) {
        d = TINY;
      }
      c = 1 + aa / c;
      if (Math.abs(c) < TINY) {
        c = TINY;
      }
      d = 1 / d;
      h *= d * c;
      aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
      d = 1 + aa * d;
      if (Math.abs(d) < TINY) {
        d = TINY;
      }
      c = 1 + aa / c;
      if (Math.abs(c) < TINY) {
        c = TINY;
      }
      d = 1 / d;
      double delta = d * c;
      h *= delta;
      if (Math.abs(delta - 1) < EPS) {
        break;
      }
    }
    return h;
  }
}
