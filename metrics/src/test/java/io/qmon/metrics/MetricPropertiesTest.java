package io.qmon.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qmon.metrics.targets.ExplicitTarget;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Bounds and symmetries over seeded random distributions. */
class MetricPropertiesTest {
  private static final int CASES = 2000;

  @Test
  void shouldKeepJensenShannonSymmetricAndWithinZeroAndOne() {
    Random random = new Random(1);
    for (int c = 0; c < CASES; c++) {
      Distribution p = random(random, 5);
      Distribution q = random(random, 5);
      double pq = Divergences.jensenShannon(p, q);
      assertEquals(pq, Divergences.jensenShannon(q, p), 1e-14);
      assertTrue(pq >= 0 && pq <= 1, "JSD " + pq);
    }
  }

  @Test
  void shouldKeepKlNonNegativeAndFiniteWhenSmoothed() {
    Random random = new Random(2);
    for (int c = 0; c < CASES; c++) {
      Distribution p = random(random, 4);
      Distribution q = random(random, 4);
      KlResult kl = KullbackLeibler.divergence(p, q, 1000, KlSmoothing.laplace(1.0));
      assertTrue(kl.bits() >= 0 && Double.isFinite(kl.bits()), "KL " + kl);
      assertTrue(kl.unsmoothedBits() >= 0, "raw KL " + kl);
      assertFalse(Double.isNaN(kl.unsmoothedBits()));
    }
  }

  @Test
  void shouldReportUnsmoothedKlAsInfinityWhenTheModelMissesATargetOutcome() {
    Distribution p = Distribution.of(2, new long[] {0, 1}, new double[] {0.5, 0.5});
    Distribution q = Distribution.fromCounts(2, new long[] {0}, new long[] {10});
    KlResult kl = KullbackLeibler.divergence(p, q, 10, KlSmoothing.additive(1e-6));
    assertEquals(Double.POSITIVE_INFINITY, kl.unsmoothedBits());
    assertFalse(kl.finiteUnsmoothed());
    assertEquals(0.5, kl.unseenTargetMass(), 1e-15);
    assertEquals("additive(eps=1.0E-6)", kl.smoothing());
    assertTrue(Double.isFinite(kl.bits()));
  }

  @Test
  void shouldGiveFidelityOneExactlyWhenDistributionsAreEqual() {
    Random random = new Random(3);
    for (int c = 0; c < CASES; c++) {
      Distribution p = random(random, 6);
      assertEquals(1.0, Fidelity.classical(p, p), 1e-14);
      assertEquals(0.0, Divergences.hellinger(p, p), 1e-7);
      Distribution q = random(random, 6);
      if (Divergences.totalVariation(p, q) > 1e-6) {
        assertTrue(Fidelity.classical(p, q) < 1.0, "F < 1 for P != Q");
      }
    }
  }

  @Test
  void shouldKeepTotalVariationAndHellingerWithinZeroAndOneAndOrdered() {
    Random random = new Random(4);
    for (int c = 0; c < CASES; c++) {
      Distribution p = random(random, 5);
      Distribution q = random(random, 5);
      double tv = Divergences.totalVariation(p, q);
      double h = Divergences.hellinger(p, q);
      assertTrue(tv >= 0 && tv <= 1, "TV " + tv);
      // H² ≤ TV ≤ √2·H (Le Cam's inequalities with H = √(1 − BC)).
      assertTrue(h * h <= tv + 1e-12 && tv <= Math.sqrt(2) * h + 1e-12, "H " + h + " TV " + tv);
      assertEquals(tv, Divergences.totalVariation(q, p), 1e-14);
    }
  }

  @Test
  void shouldAgreeBetweenLazyAndMergedEvaluationOnManyQubits() {
    Random random = new Random(5);
    for (int c = 0; c < 200; c++) {
      Distribution p = sparse(random, 63, 30);
      Distribution q = sparse(random, 63, 30);
      Alignment a = Alignment.of(ExplicitTarget.of("p", p), q);
      assertEquals(Divergences.jensenShannon(p, q), Divergences.jensenShannon(a), 1e-13);
      assertEquals(Divergences.totalVariation(p, q), Divergences.totalVariation(a), 1e-13);
    }
  }

  @Test
  void shouldNameTheFieldWhenInputIsIllegal() {
    IllegalArgumentException negative =
        assertThrows(
            IllegalArgumentException.class,
            () -> Distribution.fromCounts(3, new long[] {5}, new long[] {-3}));
    assertEquals("Negative count -3 for outcome 5 is illegal.", negative.getMessage());
    IllegalArgumentException threshold =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ModeCoverage.of(
                    ExplicitTarget.of("p", random(new Random(1), 2)),
                    random(new Random(2), 2),
                    0,
                    0.5));
    assertTrue(threshold.getMessage().startsWith("threshold"), threshold.getMessage());
    assertThrows(IllegalArgumentException.class, () -> KlSmoothing.additive(-1));
  }

  private static Distribution random(Random random, int qubits) {
    int size = 1 << qubits;
    double[] w = new double[size];
    for (int x = 0; x < size; x++) {
      w[x] = random.nextDouble() < 0.4 ? 0.0 : random.nextDouble();
    }
    w[random.nextInt(size)] = 1.0;
    return Distribution.dense(qubits, w);
  }

  private static Distribution sparse(Random random, int qubits, int count) {
    long[] outcomes = new long[count];
    double[] weights = new double[count];
    for (int i = 0; i < count; i++) {
      // A small pool makes the supports overlap.
      outcomes[i] = (random.nextLong() >>> 1) % 50 * 0x0123456789ABCDL % Long.MAX_VALUE;
      weights[i] = random.nextDouble() + 0.01;
    }
    return Distribution.of(qubits, outcomes, weights);
  }
}
