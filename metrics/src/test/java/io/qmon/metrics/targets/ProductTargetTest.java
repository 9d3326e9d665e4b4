package io.qmon.metrics.targets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.qmon.metrics.Alignment;
import io.qmon.metrics.Distribution;
import io.qmon.metrics.Divergences;
import io.qmon.metrics.Entropy;
import io.qmon.metrics.Fidelity;
import io.qmon.metrics.KlSmoothing;
import io.qmon.metrics.KullbackLeibler;
import io.qmon.metrics.ModeCoverage;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The lazy path against full enumeration of the same product target. */
class ProductTargetTest {
  private static final double[] THETA = {0.1, 0.5, 0.8, 0.0, 0.33, 0.9, 0.25};

  @Test
  void shouldGiveTheSameMetricsLazilyAsWhenEnumerated() {
    ProductTarget lazy = ProductTarget.of(THETA);
    double[] weights = new double[1 << THETA.length];
    for (int x = 0; x < weights.length; x++) {
      weights[x] = lazy.probabilityOf(x);
    }
    Distribution dense = Distribution.dense(THETA.length, weights);
    ExplicitTarget enumerated = ExplicitTarget.of("enumerated", dense);
    assertEquals(Entropy.shannonBits(dense), lazy.entropyBits(), 1e-12);
    assertEquals(dense.support(), lazy.supportSize(), 0);
    assertEquals(enumerated.collisionProbability(), lazy.collisionProbability(), 1e-12);
    Random random = new Random(11);
    for (int c = 0; c < 200; c++) {
      int k = 1 + random.nextInt(40);
      long[] outcomes = new long[k];
      long[] counts = new long[k];
      for (int i = 0; i < k; i++) {
        outcomes[i] = random.nextInt(weights.length);
        counts[i] = 1 + random.nextInt(50);
      }
      Distribution q = Distribution.fromCounts(THETA.length, outcomes, counts);
      long shots = Arrays.stream(counts).sum();
      Alignment a = Alignment.of(lazy, q);
      assertEquals(Divergences.jensenShannon(dense, q), Divergences.jensenShannon(a), 1e-12);
      assertEquals(Divergences.totalVariation(dense, q), Divergences.totalVariation(a), 1e-12);
      assertEquals(Divergences.hellinger(dense, q), Divergences.hellinger(a), 1e-12);
      assertEquals(Fidelity.classical(dense, q), Fidelity.classical(a), 1e-12);
      KlSmoothing s = KlSmoothing.laplace(1.0);
      assertEquals(
          KullbackLeibler.divergence(Alignment.of(enumerated, q), shots, s).bits(),
          KullbackLeibler.divergence(a, shots, s).bits(),
          1e-11);
      assertEquals(ModeCoverage.of(enumerated, q, 0.02, 0.5), ModeCoverage.of(lazy, q, 0.02, 0.5));
    }
  }

  @Test
  void shouldListModesOfSixtyThreeQubitsWithoutEnumerating() {
    double[] theta = new double[63];
    Arrays.fill(theta, 0.999);
    theta[5] = 0.5;
    ProductTarget target = ProductTarget.of(theta);
    // Only the all-ones outcome and its neighbour with qubit 5 cleared reach p >= 0.4·0.5.
    long allOnes = Long.MAX_VALUE;
    assertArrayEquals(new long[] {allOnes & ~(1L << 5), allOnes}, target.modes(0.4 * 0.5));
  }
}
