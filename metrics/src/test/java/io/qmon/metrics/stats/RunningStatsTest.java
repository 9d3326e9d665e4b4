package io.qmon.metrics.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RunningStatsTest {
  @Test
  void shouldMatchScipyConfidenceIntervalForOneToFive() {
    RunningStats s = new RunningStats();
    for (int x = 1; x <= 5; x++) {
      s.add(x);
    }
    // scipy.stats.t.interval(0.95, 4, loc=3, scale=sem([1..5]))
    ConfidenceInterval ci = s.confidenceInterval(0.95);
    assertEquals(1.036756838522439, ci.lower(), 1e-12);
    assertEquals(4.9632431614775605, ci.upper(), 1e-12);
  }

  @Test
  void shouldSummariseTenRunsOfASweepConfiguration() {
    double[] ks = {0.12, 0.15, 0.11, 0.19, 0.14, 0.13, 0.16, 0.10, 0.18, 0.12};
    MetricAggregate sweep = new MetricAggregate();
    for (double v : ks) {
      sweep.addAll(Map.of("ks", v, "kl", 10 * v));
    }
    RunningStats s = sweep.stats("ks").orElseThrow();
    // numpy mean, std(ddof=1) and scipy.stats.t.interval(0.99, 9, ...)
    assertEquals(0.13999999999999999, s.mean(), 1e-15);
    assertEquals(0.029814239699997195, s.stddev(), 1e-15);
    ConfidenceInterval ci = s.confidenceInterval(0.99);
    assertEquals(0.10936025667732201, ci.lower(), 1e-12);
    assertEquals(0.17063974332267795, ci.upper(), 1e-12);
    assertEquals(10 * 0.029814239699997195, sweep.stats("kl").orElseThrow().stddev(), 1e-14);
  }

  @Test
  void shouldMergePartialAggregatesAsIfObservedTogether() {
    Random random = new Random(9);
    RunningStats all = new RunningStats();
    RunningStats left = new RunningStats();
    RunningStats right = new RunningStats();
    double sum = 0;
    double[] xs = new double[1001];
    for (int i = 0; i < xs.length; i++) {
      xs[i] = 1e6 + random.nextGaussian();
      sum += xs[i];
      all.add(xs[i]);
      (i % 3 == 0 ? left : right).add(xs[i]);
    }
    left.merge(right);
    double mean = sum / xs.length;
    double ss = 0;
    for (double x : xs) {
      ss += (x - mean) * (x - mean);
    }
    assertEquals(mean, left.mean(), 1e-9);
    assertEquals(ss / (xs.length - 1), left.variance(), 1e-9);
    assertEquals(all.variance(), left.variance(), 1e-9);
    assertEquals(all.min(), left.min());
    assertEquals(all.max(), left.max());
  }

  @Test
  void shouldSurviveJavaSerialisation() throws Exception {
    MetricAggregate a = new MetricAggregate();
    a.add("jsd", 0.1);
    a.add("jsd", 0.3);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(a);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      MetricAggregate back = (MetricAggregate) in.readObject();
      assertEquals(0.2, back.stats("jsd").orElseThrow().mean(), 1e-15);
      assertEquals(2, back.stats("jsd").orElseThrow().count());
    }
  }

  @Test
  void shouldRefuseIntervalsFromOneObservationAndNonFiniteValues() {
    RunningStats s = new RunningStats();
    s.add(1);
    assertThrows(IllegalStateException.class, () -> s.confidenceInterval(0.95));
    assertThrows(IllegalArgumentException.class, () -> s.add(Double.NaN));
  }
}
