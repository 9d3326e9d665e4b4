package io.qmon.metrics.stats;

/**
 * The G-test (log-likelihood ratio) of homogeneity of two samples of counts over the same outcomes,
 * as {@code scipy.stats.chi2_contingency(table, correction=False, lambda_="log-likelihood")} on the
 * 2×K table of the outcomes either sample saw: G = 2 Σ O ln(O/E), E from the table's margins, K − 1
 * degrees of freedom. Under "both samples come from one distribution" G is about χ²(K − 1), so its
 * normal score says how many standard deviations of sampling noise the difference is.
 *
 * <p>Hand-written rather than taken from a statistics library: it runs on the job's hot path once
 * per epoch over sparse sorted counts, and {@code x ln x} of small whole counts comes from a table.
 */
public final class GTest {
  /** {@code x ln x} for whole counts below this come from {@link #X_LN_X}. */
  private static final int TABLE_SIZE = 1 << 14;

  private static final double[] X_LN_X = new double[TABLE_SIZE];

  static {
    for (int x = 1; x < TABLE_SIZE; x++) {
      X_LN_X[x] = x * Math.log(x);
    }
  }

  private GTest() {}

  /**
   * G of two sparse samples whose outcomes are strictly ascending. Outcomes with a zero count in
   * both samples do not count towards the degrees of freedom. Returns {@code {g, df}}.
   */
  public static double[] homogeneity(
      long[] outcomesA, long[] countsA, int sizeA, long[] outcomesB, long[] countsB, int sizeB) {
    double cells = 0;
    double columns = 0;
    long totalA = 0;
    long totalB = 0;
    int df = -1;
    int i = 0;
    int j = 0;
    while (i < sizeA || j < sizeB) {
      long a;
      long b;
      if (j >= sizeB || (i < sizeA && outcomesA[i] < outcomesB[j])) {
        a = countsA[i++];
        b = 0;
      } else if (i >= sizeA || outcomesB[j] < outcomesA[i]) {
        a = 0;
        b = countsB[j++];
      } else {
        a = countsA[i++];
        b = countsB[j++];
      }
      if (a + b == 0) {
        continue;
      }
      df++;
      cells += xLnX(a) + xLnX(b);
      columns += xLnX(a + b);
      totalA += a;
      totalB += b;
    }
    if (df <= 0 || totalA == 0 || totalB == 0) {
      return new double[] {0, Math.max(df, 0)};
    }
    double g = 2 * (cells - columns - xLnX(totalA) - xLnX(totalB) + xLnX(totalA + totalB));
    return new double[] {Math.max(0, g), df};
  }

  /**
   * The Wilson–Hilferty normal score of a χ²(df) value: ((x/df)^⅓ − (1 − 2/(9 df))) / √(2/(9 df)),
   * within a few hundredths of {@code norm.isf(chi2.sf(x, df))} over the range alerts care about,
   * and cheap; 0 when df is 0 (one outcome: nothing can differ).
   */
  public static double normalScore(double x, double df) {
    if (!(df > 0)) {
      return 0;
    }
    double v = 2 / (9 * df);
    return (Math.cbrt(x / df) - (1 - v)) / Math.sqrt(v);
  }

  private static double xLnX(long x) {
    return x < TABLE_SIZE ? X_LN_X[(int) x] : x * Math.log(x);
  }
}
