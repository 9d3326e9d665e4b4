package io.qmon.jobs.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EpochWindowTest {
  @Test
  void shouldEmitWhenFullAndThenEverySlideEpochs() {
    EpochWindow window = new EpochWindow(4, List.of("jsd"));
    boolean[] emitted = new boolean[10];
    for (int e = 1; e <= 10; e++) {
      emitted[e - 1] = window.add(e, e * 1000L, Map.of("jsd", 1.0 / e), 2);
    }
    assertFalse(emitted[2], "not full before 4 epochs");
    assertTrue(emitted[3], "full at epoch 4");
    assertFalse(emitted[4]);
    assertTrue(emitted[5], "then every 2 epochs");
    assertEquals(7, window.firstEpoch());
    assertEquals(10, window.lastEpoch());
  }

  @Test
  void shouldComputeMeanVarianceIntervalAndTrendByHand() {
    EpochWindow window = new EpochWindow(4, List.of("jsd"));
    double[] values = {0.5, 0.4, 0.35, 0.15};
    for (int i = 0; i < values.length; i++) {
      window.add(i + 1, 0, Map.of("jsd", values[i]), 1);
    }
    Map<String, Double> stats = window.statistics(0.95);
    // mean 0.35; sample variance: deviations .15 .05 0 -.2 → (.0225+.0025+0+.04)/3
    assertEquals(0.35, stats.get("jsd_mean"), 1e-12);
    assertEquals(0.065 / 3, stats.get("jsd_variance"), 1e-12);
    // slope: x̄ = 2.5, Σ(x−x̄)(y−ȳ) = (−1.5)(.15)+(−.5)(.05)+(.5)(0)+(1.5)(−.2) = −.55, Σ(x−x̄)² =
    // 5
    assertEquals(-0.11, stats.get("jsd_trend"), 1e-12);
    // t(0.975, 3) = 3.182446305284263 (scipy.stats.t.ppf)
    double half = 3.182446305284263 * Math.sqrt(0.065 / 3 / 4);
    assertEquals(0.35 - half, stats.get("jsd_ci_low"), 1e-9);
    assertEquals(0.35 + half, stats.get("jsd_ci_high"), 1e-9);
  }
}
