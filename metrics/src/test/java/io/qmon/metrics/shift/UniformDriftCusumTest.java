package io.qmon.metrics.shift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The scores z are scipy's: the derivative at λ = 0 of {@code scipy.stats.multinomial.logpmf(x, n,
 * (1−λ)p + λu)} by central differences (h = 1e-6), over the square root of the Fisher information
 * n·Σ(u − p)²/p, with p the reference's counts plus half a count per outcome, normalised (the
 * script is in the commit message). The CUSUM steps are written out here.
 */
class UniformDriftCusumTest {
  private static final double SCIPY_TOLERANCE = 1e-5;

  @Test
  void shouldAccumulateAgainstAReferenceThatFreezesWhileEvidenceBuilds() {
    UniformDriftCusum drift = new UniformDriftCusum(3, 16, 0.5, 3.0);
    assertTrue(Double.isNaN(drift.observe(new long[] {0, 1}, new long[] {30, 10}, 2)));
    // z = −0.926 against {0: 30, 1: 10}: nothing builds, the epoch joins the reference.
    assertEquals(0, drift.observe(new long[] {1, 0}, new long[] {12, 28}, 2));
    assertEquals(-0.9256514464828105, drift.lastScore(), SCIPY_TOLERANCE);
    assertEquals(2, drift.size());
    // Against {0: 58, 1: 22}: z = 13.7, capped at 3, less the slack.
    assertEquals(2.5, drift.observe(new long[] {0, 1, 2, 3}, new long[] {20, 10, 5, 5}, 2), 1e-12);
    assertEquals(13.714837437731163, drift.lastScore(), SCIPY_TOLERANCE);
    // The reference stayed frozen: the next epoch is scored against {0: 58, 1: 22} again.
    assertEquals(5.0, drift.observe(new long[] {0, 1, 2, 3}, new long[] {22, 10, 4, 4}, 2), 1e-12);
    assertEquals(10.82711976238443, drift.lastScore(), SCIPY_TOLERANCE);
    assertEquals(2, drift.size());
    double z = -0.624174467769525;
    assertEquals(
        5.0 + z - 0.5, drift.observe(new long[] {0, 1}, new long[] {25, 15}, 2), SCIPY_TOLERANCE);
    // Three epochs frozen: the run has settled, the reference restarts from this epoch.
    assertEquals(1, drift.size());
    assertEquals(0, drift.observe(new long[] {0, 1}, new long[] {24, 16}, 2));
    assertEquals(-0.9751126494741985, drift.lastScore(), SCIPY_TOLERANCE);
  }

  @Test
  void shouldStayNearZeroWhenTheGeneratorDoesNotChangeAndGrowWhenItDriftsTowardsUniform() {
    // 5 qubits, 512 shots, a peaked distribution: 100 steady epochs, then 20 mixed 10% uniform.
    SplittableRandom rng = new SplittableRandom(7);
    double[] p = new double[32];
    double total = 0;
    for (int i = 0; i < p.length; i++) {
      p[i] = Math.exp(-0.5 * Math.pow((i - 16) / 3.0, 2));
      total += p[i];
    }
    for (int i = 0; i < p.length; i++) {
      p[i] /= total;
    }
    UniformDriftCusum drift = UniformDriftCusum.withDefaults();
    double steadyMax = 0;
    for (int epoch = 0; epoch < 100; epoch++) {
      double s = drift.observe(outcomes(32), sample(p, 512, rng), 5);
      if (!Double.isNaN(s)) {
        steadyMax = Math.max(steadyMax, s);
      }
    }
    double[] mixed = new double[32];
    for (int i = 0; i < p.length; i++) {
      mixed[i] = 0.9 * p[i] + 0.1 / 32;
    }
    double drifting = 0;
    for (int epoch = 0; epoch < 3; epoch++) {
      drifting = drift.observe(outcomes(32), sample(mixed, 512, rng), 5);
    }
    assertTrue(steadyMax < 8, "steady run stays below the detector's limit, max " + steadyMax);
    assertTrue(drifting > 8, "three epochs of 10% uniform noise pass it, got " + drifting);
  }

  @Test
  void shouldRefuseBadParameters() {
    assertThrows(IllegalArgumentException.class, () -> new UniformDriftCusum(0, 16, 1, 4));
    assertThrows(IllegalArgumentException.class, () -> new UniformDriftCusum(10, 16, 2, 1));
    UniformDriftCusum drift = UniformDriftCusum.withDefaults();
    assertThrows(
        IllegalArgumentException.class, () -> drift.observe(new long[] {0}, new long[] {1}, 0));
  }

  @Test
  void shouldReportNothingAndRestartWhenThereAreTooManyOutcomes() {
    UniformDriftCusum drift = new UniformDriftCusum(3, 4, 1, 4);
    drift.observe(new long[] {0, 1}, new long[] {5, 5}, 3);
    assertTrue(
        Double.isNaN(drift.observe(new long[] {0, 1, 2, 3, 4}, new long[] {1, 1, 1, 1, 1}, 3)));
    assertEquals(0, drift.size());
  }

  private static long[] outcomes(int n) {
    long[] o = new long[n];
    for (int i = 0; i < n; i++) {
      o[i] = i;
    }
    return o;
  }

  private static long[] sample(double[] p, int shots, SplittableRandom rng) {
    long[] counts = new long[p.length];
    for (int s = 0; s < shots; s++) {
      double r = rng.nextDouble();
      int i = 0;
      while (i < p.length - 1 && r >= p[i]) {
        r -= p[i];
        i++;
      }
      counts[i]++;
    }
    return counts;
  }
}
