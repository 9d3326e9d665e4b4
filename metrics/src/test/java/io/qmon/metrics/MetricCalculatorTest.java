package io.qmon.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qmon.metrics.noise.ShotNoiseFloors;
import io.qmon.metrics.targets.DiscretisedTarget;
import io.qmon.metrics.targets.ExplicitTarget;
import io.qmon.metrics.targets.ProductTarget;
import java.util.HashSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricCalculatorTest {
  private final MetricCalculator calculator = MetricCalculator.withDefaults();

  @Test
  void shouldComputeEveryMetricOfAFairCoinAgainstThreeHeadsInFourShots() {
    TargetModel coin =
        ExplicitTarget.of(
            "coin",
            Distribution.of(1, new long[] {0, 1}, new double[] {1, 1}),
            ValueMapping.linear(1, 0, 1));
    MetricSet set = calculator.compute(coin, new long[] {0, 1}, new long[] {3, 1});
    double overlap = Math.sqrt(0.5 * 0.75) + Math.sqrt(0.5 * 0.25);
    assertEquals(4, set.shots());
    assertEquals(0.25, set.tv(), 1e-15);
    assertEquals(overlap * overlap, set.fidelity(), 1e-15);
    assertEquals(Math.sqrt(1 - overlap), set.hellinger(), 1e-12);
    // H(0.75, 0.25) = 2 − ¾·log₂3 bits.
    assertEquals(2 - 0.75 * Math.log(3) / Math.log(2), set.entropyBits(), 1e-15);
    // KS: |F_P(0) − F_Q(0)| = |0.5 − 0.75|; W1 on values {0, 1}: the same times the unit gap.
    assertEquals(0.25, set.ks().getAsDouble(), 1e-15);
    assertEquals(0.25, set.w1().getAsDouble(), 1e-15);
    // Laplace ½ on K = 2: q̃ = (3.5/5, 1.5/5).
    double kl = 0.5 * Math.log(0.5 / 0.7) + 0.5 * Math.log(0.5 / 0.3);
    assertEquals(kl / Math.log(2), set.kl().bits(), 1e-15);
    assertEquals("laplace(alpha=0.5)", set.kl().smoothing());
    assertEquals(1.0, set.coverage().coverage());
  }

  @Test
  void shouldCarryFloorsForEveryDivergence() {
    MetricSet set =
        calculator.compute(
            DiscretisedTarget.normal(4, 0, 1, -3, 3), new long[] {7}, new long[] {9});
    for (String metric : MetricNames.WITH_FLOOR) {
      assertTrue(set.floor(metric).isPresent(), metric);
      assertTrue(set.floor(metric).get().upper() > 0, metric);
    }
    assertFalse(set.floor(MetricNames.ENTROPY_BITS).isPresent());
    assertEquals(9, set.floors().shots());
  }

  @Test
  void shouldSkipOrderedDistancesForTargetsWithoutValueMapping() {
    TargetModel product = ProductTarget.of(0.1, 0.9, 0.5, 0.5, 0.2, 0.7, 0.3, 0.01, 0.99, 0.4);
    MetricSet set = calculator.compute(product, new long[] {2, 3, 1000}, new long[] {5, 5, 1});
    Map<String, Double> values = set.values();
    assertFalse(set.ks().isPresent());
    assertFalse(values.containsKey(MetricNames.KS));
    assertTrue(values.values().stream().allMatch(Double::isFinite), values.toString());
    assertEquals(Double.POSITIVE_INFINITY, set.kl().unsmoothedBits());
  }

  @Test
  void shouldListMissingModesOfABimodalTarget() {
    DiscretisedTarget bimodal = DiscretisedTarget.bimodal(3, -1.5, 1.5, 0.5, -2, 2);
    // P ≈ (.145, .237, .105, .013, .013, .105, .237, .145): six modes at p ≥ 0.1, left three
    // missed.
    MetricSet set =
        MetricCalculator.builder()
            .modeThreshold(0.1)
            .build()
            .compute(bimodal, new long[] {5, 6, 7}, new long[] {30, 40, 30});
    assertEquals(0.5, set.coverage().coverage());
    assertArrayEquals(new long[] {0, 1, 2}, set.coverage().missingModes());
  }

  @Test
  void shouldRefuseFloorsCalibratedForAnotherSmoothing() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                MetricCalculator.builder()
                    .smoothing(KlSmoothing.additive(1e-6))
                    .noiseFloors(ShotNoiseFloors.withDefaults(KlSmoothing.laplace(1)))
                    .build());
    assertTrue(e.getMessage().contains("noiseFloors"), e.getMessage());
  }

  @Test
  void shouldKeepMetricNamesUniqueAndFloorsAmongThem() {
    assertEquals(MetricNames.ALL.size(), new HashSet<>(MetricNames.ALL).size());
    assertTrue(MetricNames.ALL.containsAll(MetricNames.WITH_FLOOR));
  }
}
