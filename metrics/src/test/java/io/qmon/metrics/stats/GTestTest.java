package io.qmon.metrics.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * References from scipy 1.x: {@code scipy.stats.power_divergence(table, expected,
 * lambda_="log-likelihood", axis=None)} on the 2×K table without all-zero columns, expected from
 * its margins; normal scores from {@code norm.isf(chi2.sf(g, df))}.
 */
class GTestTest {
  @Test
  void shouldMatchScipyOnDenseCounts() {
    double[] r =
        GTest.homogeneity(
            new long[] {0, 1, 2, 3},
            new long[] {30, 10, 50, 10},
            4,
            new long[] {0, 1, 2, 3},
            new long[] {300, 120, 450, 130},
            4);
    assertEquals(1.498160183226128, r[0], 1e-9);
    assertEquals(3, r[1]);
  }

  @Test
  void shouldMatchScipyWhenEachSampleHasOutcomesTheOtherLacks() {
    double[] r =
        GTest.homogeneity(
            new long[] {0, 2, 4},
            new long[] {5, 20, 3},
            3,
            new long[] {0, 1, 2},
            new long[] {40, 12, 160},
            3);
    assertEquals(15.936207044046771, r[0], 1e-9);
    assertEquals(3, r[1]);
  }

  @Test
  void shouldBeZeroForTheSameProportions() {
    double[] r =
        GTest.homogeneity(
            new long[] {1, 2, 3},
            new long[] {10, 20, 30},
            3,
            new long[] {1, 2, 3},
            new long[] {20, 40, 60},
            3);
    assertEquals(0, r[0], 1e-9);
    assertEquals(2, r[1]);
  }

  @Test
  void shouldGiveNoEvidenceWhenBothSamplesSawOneOutcome() {
    double[] r =
        GTest.homogeneity(new long[] {7}, new long[] {5}, 1, new long[] {7}, new long[] {9}, 1);
    assertEquals(0, r[0]);
    assertEquals(0, r[1]);
    assertEquals(0, GTest.normalScore(r[0], r[1]));
  }

  @Test
  void normalScoreShouldBeCloseToTheExactNormalQuantileOfTheTail() {
    // Wilson–Hilferty: within 0.12 of the exact score at df >= 10 in the alerting range.
    assertEquals(5.013741587255593, GTest.normalScore(50, 10), 0.12);
    assertEquals(6.931671069761851, GTest.normalScore(120, 31), 0.12);
    assertEquals(1.3834431309326758, GTest.normalScore(3, 1), 0.05);
  }
}
