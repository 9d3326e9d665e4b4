package io.qmon.metrics.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qmon.metrics.Alignment;
import io.qmon.metrics.Distribution;
import io.qmon.metrics.Divergences;
import io.qmon.metrics.Fidelity;
import io.qmon.metrics.KlSmoothing;
import io.qmon.metrics.KullbackLeibler;
import io.qmon.metrics.TargetModel;
import io.qmon.metrics.targets.DiscretisedTarget;
import io.qmon.metrics.targets.ProductTarget;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The 99% floor against 10,000 independent null draws: a perfect model must exceed it in at most
 * about 1.5% of them, for every divergence and in every calibration regime.
 */
class ShotNoiseFloorsTest {
  private static final int NULL_DRAWS = 10_000;
  private static final double QUANTILE = 0.99;
  private static final KlSmoothing SMOOTHING = KlSmoothing.laplace(0.5);

  @Test
  void shouldUseChiSquareFloorsWhenEveryExpectedCountIsLarge() {
    TargetModel target = DiscretisedTarget.normal(3, 0, 1, -2, 2);
    NoiseFloors floors = ShotNoiseFloors.withDefaults(SMOOTHING).floors(target, 2000, QUANTILE);
    assertTrue(floors.jsd().method().startsWith("chi-square(df=7)"), floors.jsd().method());
    // (k−1)/(8N ln 2) with k = 8 outcomes and N = 2000 shots.
    assertEquals(7 / (8 * 2000 * Math.log(2)), floors.jsd().mean(), 1e-15);
    assertNullExceedanceWithinBudget(target, 2000, floors);
  }

  @Test
  void shouldCalibrateByMonteCarloWithFewShotsAndManyOutcomes() {
    TargetModel target = DiscretisedTarget.bimodal(5, -1, 1.5, 0.6, -3, 3);
    NoiseFloors floors = ShotNoiseFloors.withDefaults(SMOOTHING).floors(target, 200, QUANTILE);
    assertTrue(floors.jsd().method().startsWith("monte-carlo"), floors.jsd().method());
    assertNullExceedanceWithinBudget(target, 200, floors);
  }

  @Test
  void shouldScaleFloorsBeyondTheSimulatedShotsCloseToTheSimulatedFloor() {
    // Many small probabilities (N·p < 10 at 8,000 shots), so every floor is Monte Carlo.
    TargetModel target = DiscretisedTarget.bimodal(6, -1, 1.5, 0.6, -3, 3);
    long shots = 8_000;
    NoiseFloors scaled =
        new ShotNoiseFloors(SMOOTHING, 2000, 3L, 8, 2_000).floors(target, shots, QUANTILE);
    NoiseFloors simulated =
        new ShotNoiseFloors(SMOOTHING, 2000, 3L, 8, 1_000_000).floors(target, shots, QUANTILE);
    assertTrue(
        scaled.tv().method().contains("scaled by sqrt(N0/N) from N0=2000"), scaled.tv().method());
    assertTrue(simulated.tv().method().startsWith("monte-carlo"), simulated.tv().method());
    assertRelativelyClose(simulated.tv(), scaled.tv(), 0.10, "tv");
    assertRelativelyClose(simulated.hellinger(), scaled.hellinger(), 0.10, "hellinger");
    assertRelativelyClose(simulated.jsd(), scaled.jsd(), 0.15, "jsd");
    assertRelativelyClose(simulated.infidelity(), scaled.infidelity(), 0.15, "infidelity");
  }

  @Test
  void shouldGiveHugeShotCountsAnAsymptoticFloorWithoutSimulatingThem() {
    TargetModel target = DiscretisedTarget.bimodal(5, -1, 1.5, 0.6, -3, 3);
    ShotNoiseFloors floors = ShotNoiseFloors.withDefaults(SMOOTHING);
    NoiseFloors base = floors.floors(target, ShotNoiseFloors.MAX_SIMULATED_SHOTS, QUANTILE);
    long shots = 1_000_000_000_000L;
    NoiseFloors huge = floors.floors(target, shots, QUANTILE);
    double ratio = ShotNoiseFloors.MAX_SIMULATED_SHOTS / (double) shots;
    assertEquals(base.tv().upper() * Math.sqrt(ratio), huge.tv().upper(), 1e-18);
    // Every expected count is large at 10^12 shots: the chi-square form, computed at N itself.
    assertTrue(huge.jsd().method().startsWith("chi-square(df=31)"), huge.jsd().method());
    assertEquals(31 / (8 * (double) shots * Math.log(2)), huge.jsd().mean(), 1e-24);
  }

  private static void assertRelativelyClose(
      Floor expected, Floor actual, double tolerance, String name) {
    assertEquals(expected.upper(), actual.upper(), tolerance * expected.upper(), name + " upper");
    assertEquals(expected.mean(), actual.mean(), tolerance * expected.mean(), name + " mean");
  }

  @Test
  void shouldCalibrateLazyTargetsOverManyQubits() {
    double[] theta = new double[40];
    for (int k = 0; k < theta.length; k++) {
      theta[k] = k % 3 == 0 ? 0.02 : (k % 3 == 1 ? 0.97 : 0.0);
    }
    TargetModel target = ProductTarget.of(theta);
    NoiseFloors floors = new ShotNoiseFloors(SMOOTHING, 1000, 7L, 4).floors(target, 300, QUANTILE);
    assertNullExceedanceWithinBudget(target, 300, floors);
  }

  @Test
  void shouldServeRepeatedRequestsFromTheCache() {
    ShotNoiseFloors noise = ShotNoiseFloors.withDefaults(SMOOTHING);
    TargetModel target = DiscretisedTarget.uniform(4, 0, 1);
    assertSame(noise.floors(target, 100, 0.99), noise.floors(target, 100, 0.99));
  }

  @Test
  void shouldNotServeTheFloorsOfAnEarlierVersionOfATargetWithTheSameId() {
    ShotNoiseFloors noise = ShotNoiseFloors.withDefaults(SMOOTHING);
    TargetModel narrow =
        io.qmon.metrics.targets.ExplicitTarget.of(
            "t", Distribution.of(3, new long[] {0, 1}, new double[] {0.5, 0.5}));
    TargetModel wide =
        io.qmon.metrics.targets.ExplicitTarget.of(
            "t",
            Distribution.of(
                3, new long[] {0, 1, 2, 3, 4, 5, 6, 7}, new double[] {1, 1, 1, 1, 1, 1, 1, 1}));
    double before = noise.floors(narrow, 100, QUANTILE).jsd().upper();
    double after = noise.floors(wide, 100, QUANTILE).jsd().upper();
    assertTrue(
        after > before, "8 outcomes have a higher JSD floor than 2: " + before + ", " + after);
    assertEquals(before, noise.floors(narrow, 100, QUANTILE).jsd().upper(), 0.0);
  }

  private static void assertNullExceedanceWithinBudget(
      TargetModel target, long shots, NoiseFloors floors) {
    SplittableRandom random = new SplittableRandom(424242);
    int[] exceed = new int[5];
    for (int d = 0; d < NULL_DRAWS; d++) {
      Alignment a = Alignment.of(target, sample(target, shots, random));
      double[] values = {
        Divergences.jensenShannon(a),
        KullbackLeibler.divergence(a, shots, SMOOTHING).bits(),
        Divergences.totalVariation(a),
        Divergences.hellinger(a),
        1 - Fidelity.classical(a)
      };
      Floor[] f = {floors.jsd(), floors.kl(), floors.tv(), floors.hellinger(), floors.infidelity()};
      for (int m = 0; m < 5; m++) {
        if (values[m] > f[m].upper()) {
          exceed[m]++;
        }
      }
    }
    String[] names = {"jsd", "kl", "tv", "hellinger", "1-F"};
    for (int m = 0; m < 5; m++) {
      double share = exceed[m] / (double) NULL_DRAWS;
      assertTrue(share <= 0.015, names[m] + " exceeded its 99% floor in " + share + " of draws");
      assertTrue(share >= 0.002, names[m] + " floor is far too loose: " + share);
    }
  }

  /**
   * Shots drawn independently of the alias sampler behind the floors: by inverse CDF for explicit
   * targets, qubit by qubit for product targets, with an unrelated seed.
   */
  private static Distribution sample(TargetModel target, long shots, SplittableRandom random) {
    Map<Long, long[]> counts = new HashMap<>();
    double[] cdf = target.explicit().map(ShotNoiseFloorsTest::cumulative).orElse(null);
    for (long s = 0; s < shots; s++) {
      long outcome;
      if (cdf == null) {
        outcome = target.sample(random);
      } else {
        int i = Arrays.binarySearch(cdf, random.nextDouble());
        i = Math.min(cdf.length - 1, i >= 0 ? i + 1 : -i - 1);
        outcome = target.explicit().get().outcome(i);
      }
      counts.computeIfAbsent(outcome, x -> new long[1])[0]++;
    }
    long[] outcomes = new long[counts.size()];
    long[] values = new long[counts.size()];
    int i = 0;
    for (Map.Entry<Long, long[]> e : counts.entrySet()) {
      outcomes[i] = e.getKey();
      values[i++] = e.getValue()[0];
    }
    return Distribution.fromCounts(target.qubits(), outcomes, values);
  }

  private static double[] cumulative(Distribution p) {
    double[] cdf = new double[p.support()];
    double sum = 0;
    for (int i = 0; i < cdf.length; i++) {
      sum += p.probability(i);
      cdf[i] = sum;
    }
    return cdf;
  }
}
