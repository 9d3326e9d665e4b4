package io.qmon.metrics.shift;

import java.util.SplittableRandom;

/** Test epochs drawn from a fixed distribution: the counts of {@code shots} multinomial shots. */
public final class MultinomialDraws {
  private MultinomialDraws() {}

  /**
   * One epoch's counts over the outcomes of {@code p}, by inverting the cumulative sum per shot.
   */
  public static long[] counts(SplittableRandom rng, double[] p, int shots) {
    long[] counts = new long[p.length];
    for (int shot = 0; shot < shots; shot++) {
      double u = rng.nextDouble();
      int k = 0;
      while (k < p.length - 1 && u >= p[k]) {
        u -= p[k];
        k++;
      }
      counts[k]++;
    }
    return counts;
  }
}
