package io.qmon.producers.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ShotSamplerTest {
  private final ShotSampler sampler = new ShotSampler();

  @Test
  void shouldMatchProbabilitiesWithinChiSquareBound() {
    double[] p = {0.1, 0.0, 0.25, 0.05, 0.3, 0.1, 0.15, 0.05};
    int shots = 200_000;
    ShotCounts counts = sampler.sample(p, shots, NoiseModel.NONE, new SplittableRandom(11));
    assertEquals(shots, counts.shots());
    double chi2 = 0;
    double[] observed = new double[p.length];
    for (int i = 0; i < counts.support(); i++) {
      observed[(int) counts.outcome(i)] = counts.count(i);
    }
    assertEquals(0.0, observed[1], "an outcome with probability 0 is never drawn");
    for (int x = 0; x < p.length; x++) {
      if (p[x] > 0) {
        double expected = p[x] * shots;
        chi2 += (observed[x] - expected) * (observed[x] - expected) / expected;
      }
    }
    // 6 degrees of freedom: the 99.9% quantile of chi-square(6) is 22.46
    assertTrue(chi2 < 22.46, "chi-square " + chi2);
  }

  @Test
  void shouldReturnSortedDistinctOutcomes() {
    double[] p = new double[64];
    java.util.Arrays.fill(p, 1.0 / 64);
    ShotCounts counts = sampler.sample(p, 1024, NoiseModel.NONE, new SplittableRandom(3));
    for (int i = 1; i < counts.support(); i++) {
      assertTrue(counts.outcome(i) > counts.outcome(i - 1));
    }
    assertEquals(1024, counts.shots());
  }

  @Test
  void shouldDrawDeterministicOutcomeEveryTime() {
    double[] p = {0, 0, 0, 1};
    ShotCounts counts = sampler.sample(p, 100, NoiseModel.NONE, new SplittableRandom(1));
    assertArrayEquals(new long[] {3}, counts.outcomes());
    assertArrayEquals(new long[] {100}, counts.counts());
  }

  @Test
  void shouldReproduceCountsWithSameSeed() {
    double[] p = {0.5, 0.2, 0.2, 0.1};
    ShotCounts a = sampler.sample(p, 1000, NoiseModel.NONE, new SplittableRandom(42));
    ShotCounts b = new ShotSampler().sample(p, 1000, NoiseModel.NONE, new SplittableRandom(42));
    assertArrayEquals(a.outcomes(), b.outcomes());
    assertArrayEquals(a.counts(), b.counts());
  }

  @Test
  void shouldFlipEachBitWithItsReadoutProbability() {
    double[] p = {1, 0, 0, 0};
    int shots = 100_000;
    NoiseModel noise = new NoiseModel(0.0, new double[] {0.1, 0.3});
    double[] f = sampler.sample(p, shots, noise, new SplittableRandom(5)).frequencies();
    // independent flips: P(00)=0.9·0.7, P(01)=0.1·0.7, P(10)=0.9·0.3, P(11)=0.1·0.3
    double[] expected = {0.63, 0.07, 0.27, 0.03};
    for (int x = 0; x < 4; x++) {
      double sd = Math.sqrt(expected[x] * (1 - expected[x]) / shots);
      assertEquals(expected[x], f[x], 5 * sd, "outcome " + x);
    }
  }

  @Test
  void shouldMixWithUniformUnderDepolarisingNoise() {
    double[] p = {1, 0, 0, 0};
    NoiseModel noise = new NoiseModel(0.2, new double[0]);
    noise.depolarise(p);
    assertArrayEquals(new double[] {0.85, 0.05, 0.05, 0.05}, p, 1e-15);
  }

  @Test
  void shouldSpreadShotsOfNoisyModelOverAllOutcomes() {
    Circuit identity = Circuit.builder(3).build();
    QuantumModel model =
        new QuantumModel(InitialState.zero(), identity, NoiseModel.uniform(3, 0.4, 0.0));
    ShotCounts counts = model.sample(new double[0], 50_000, new SplittableRandom(9));
    double[] f = counts.frequencies();
    // p'(0) = 0.6 + 0.4/8, every other outcome 0.4/8
    assertEquals(0.65, f[0], 0.01);
    assertEquals(0.05, f[5], 0.005);
    assertEquals(8, counts.support());
  }

  @Test
  void shouldRejectBadInputNamingTheField() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> sampler.sample(new double[] {1, 0}, 0, NoiseModel.NONE, new SplittableRandom(1)));
    assertTrue(e.getMessage().contains("shots"));
    assertThrows(
        IllegalArgumentException.class,
        () -> sampler.sample(new double[] {1, 0, 0}, 5, NoiseModel.NONE, new SplittableRandom(1)));
    assertThrows(IllegalArgumentException.class, () -> new NoiseModel(1.5, new double[0]));
    assertThrows(IllegalArgumentException.class, () -> new NoiseModel(0, new double[] {-0.1}));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new QuantumModel(
                InitialState.zero(), Circuit.builder(2).build(), NoiseModel.uniform(3, 0, 0.1)));
  }
}
