package io.qmon.jobs.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qmon.metrics.MetricCalculator;
import io.qmon.metrics.MetricNames;
import io.qmon.metrics.shift.RecentCounts;
import io.qmon.schemas.MetricRecord;
import io.qmon.schemas.MetricScope;
import io.qmon.schemas.ShotCounts;
import io.qmon.schemas.TargetDistribution;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EpochScorerTest {
  private final EpochScorer scorer = new EpochScorer(MetricCalculator.withDefaults());

  private static ShotCounts.Builder shots() {
    return ShotCounts.newBuilder()
        .setRunId("run-7")
        .setProducerId("p")
        .setSeq(3)
        .setEpoch(12)
        .setEventTime(Instant.ofEpochMilli(1000))
        .setQubits(1)
        .setShots(64)
        .setOutcomes(List.of(0L, 1L))
        .setCounts(List.of(64L, 0L));
  }

  private static TargetDistribution halfHalf() {
    return TargetDistribution.newBuilder()
        .setTargetId("fair-coin")
        .setQubits(1)
        .setDescription("")
        .setOutcomes(List.of(0L, 1L))
        .setProbabilities(List.of(0.5, 0.5))
        .setLow(-1.0)
        .setHigh(1.0)
        .setUpdatedTime(Instant.EPOCH)
        .build();
  }

  @Test
  void shouldScoreAnEpochWithHandDerivedValues() {
    MetricRecord record =
        scorer.score(shots().build(), EpochScorer.toTarget(halfHalf()), Instant.ofEpochMilli(2000));
    // P = (1/2, 1/2), Q = (1, 0): JSD = H(3/4, 1/4) − (H(P) + H(Q))/2 = 0.811278… − 1/2.
    double h34 = -(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25)) / Math.log(2);
    assertEquals(h34 - 0.5, record.getMetrics().get("jsd"), 1e-12);
    assertEquals(0.5, record.getMetrics().get("fidelity"), 1e-12);
    assertEquals(0.0, record.getMetrics().get("entropy_bits"), 1e-12);
    assertEquals(0.5, record.getMetrics().get("tv"), 1e-12);
    assertEquals(1.0, record.getMetrics().get(EpochScorer.SUPPORT), 0.0);
    // Outcome 0 stands for −1 and outcome 1 for +1: moving half the mass by 2 costs 1.
    assertEquals(1.0, record.getMetrics().get("w1"), 1e-12);
  }

  @Test
  void shouldTestEachEpochAgainstTheRunsRecentCounts() {
    RecentCounts recent = RecentCounts.withDefaults();
    MetricRecord first =
        scorer.score(
            shots().build(), EpochScorer.toTarget(halfHalf()), Instant.ofEpochMilli(2000), recent);
    assertFalse(first.getMetrics().containsKey(MetricNames.WINDOW_SHIFT), "nothing to test yet");
    MetricRecord second =
        scorer.score(
            shots().setEpoch(13).setCounts(List.of(32L, 32L)).build(),
            EpochScorer.toTarget(halfHalf()),
            Instant.ofEpochMilli(3000),
            recent);
    // Table [[32, 32], [64, 0]]: margins 64, 64 and 96, 32, so E = 48 and 16 in each row;
    // G = 2 (32 ln(2/3) + 32 ln 2 + 64 ln(4/3)), 1 degree of freedom, Wilson–Hilferty score.
    double g = 2 * (32 * Math.log(2.0 / 3) + 32 * Math.log(2) + 64 * Math.log(4.0 / 3));
    double v = 2.0 / 9;
    double z = (Math.cbrt(g) - (1 - v)) / Math.sqrt(v);
    assertEquals(z, second.getMetrics().get(MetricNames.WINDOW_SHIFT), 1e-9);
    MetricRecord perCircuit =
        scorer.score(
            shots().setEpoch(14).setCircuit("c1").build(),
            EpochScorer.toTarget(halfHalf()),
            Instant.ofEpochMilli(4000),
            recent);
    assertFalse(perCircuit.getMetrics().containsKey(MetricNames.WINDOW_SHIFT));
    assertEquals(2, recent.size(), "a circuit's part of an epoch stays out of the window");
  }

  @Test
  void shouldKeyTheRecordDeterministicallyAndCarryTheEpoch() {
    MetricRecord record =
        scorer.score(shots().build(), EpochScorer.toTarget(halfHalf()), Instant.ofEpochMilli(2000));
    assertEquals("run-7/epoch/12", record.getRecordId());
    assertEquals(MetricScope.EPOCH, record.getScope());
    assertEquals(12, record.getFirstEpoch());
    assertEquals(12, record.getLastEpoch());
    assertEquals("fair-coin", record.getTargetId());
    assertEquals(Instant.ofEpochMilli(1000), record.getEventTime());
    assertEquals(
        "run-7/epoch/12/circuit/c1", EpochScorer.recordId(shots().setCircuit("c1").build()));
  }

  @Test
  void shouldCarryAShotNoiseFloorForEveryDivergence() {
    MetricRecord record =
        scorer.score(shots().build(), EpochScorer.toTarget(halfHalf()), Instant.ofEpochMilli(2000));
    for (String metric : List.of("jsd", "kl", "tv", "hellinger", "infidelity")) {
      Double upper = record.getNoiseFloors().get(metric);
      Double expected = record.getNoiseFloors().get(metric + EpochScorer.EXPECTED_SUFFIX);
      assertTrue(upper != null && expected != null, "floor of " + metric);
      assertTrue(upper >= expected && expected >= 0, metric + ": " + expected + " <= " + upper);
    }
    // 64 fair coin flips: the JSD floor is tiny next to the 0.31 bits of this epoch.
    assertTrue(record.getNoiseFloors().get("jsd") < 0.1);
  }

  @Test
  void shouldReportEveryLossUnderTheLossPrefix() {
    MetricRecord record =
        scorer.score(
            shots().setLosses(Map.of("generator", 0.75, "discriminator", -1.5)).build(),
            EpochScorer.toTarget(halfHalf()),
            Instant.ofEpochMilli(2000));
    assertEquals(0.75, record.getMetrics().get("loss.generator"), 0.0);
    assertEquals(-1.5, record.getMetrics().get("loss.discriminator"), 0.0);
    assertEquals(
        2,
        record.getMetrics().keySet().stream().filter(k -> k.startsWith("loss.")).count(),
        "one entry per loss");
  }
}
