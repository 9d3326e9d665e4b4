package io.qmon.bench.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qmon.metrics.detect.Severity;
import io.qmon.producers.worker.ModelKind;
import io.qmon.schemas.MetricRecord;
import io.qmon.schemas.MetricScope;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * When the eval calls an uninjected model's exact output materially worse (≥ 1.2 × its best of the
 * previous 10 epochs and above it by more than the JSD sampling spread), and which false alarms
 * that excuses. Every expected value is worked out by hand beside it.
 */
class ExactOutputLabelTest {
  /** A stream whose epochs all report JSD floor {@code upper} with mean {@code expected}. */
  private static LabelledStream stream(
      Fault fault, int faultEpoch, double upper, double expected, double... exactJsd) {
    List<MetricRecord> records = new ArrayList<>();
    for (int epoch = 1; epoch <= exactJsd.length; epoch++) {
      records.add(
          MetricRecord.newBuilder()
              .setRecordId("r" + epoch)
              .setRunId("run")
              .setScope(MetricScope.EPOCH)
              .setFirstEpoch(epoch)
              .setLastEpoch(epoch)
              .setEventTime(Instant.EPOCH.plusSeconds(epoch))
              .setProcessedTime(Instant.EPOCH.plusSeconds(epoch))
              .setTargetId("target")
              .setQubits(3)
              .setShots(512)
              .setMetrics(Map.of("jsd", exactJsd[epoch - 1]))
              .setNoiseFloors(Map.of("jsd", upper, "jsd_expected", expected))
              .build());
    }
    StreamCase spec =
        new StreamCase(
            0, ModelKind.QGAN, 3, 512, 0.1, 7, 0, 0, exactJsd.length, fault, faultEpoch, 0);
    return new LabelledStream(spec, records, Double.NaN, exactJsd);
  }

  @Test
  void shouldCallTheOutputWorseOnlyWellAboveItsRecentBestAndBeyondSamplingNoise() {
    // Spread 0.02 − 0.01 = 0.01. Epoch 4: best 0.10, 0.10 not ≥ 0.12. Epoch 5: 0.13 ≥ 1.2 × 0.10
    // and 0.13 − 0.10 = 0.03 > 0.01. Epoch 6: 0.25 against 0.10, worse.
    LabelledStream s = stream(Fault.NONE, 0, 0.02, 0.01, 0.30, 0.20, 0.10, 0.10, 0.13, 0.25);

    assertFalse(s.exactOutputWorseAt(1), "no earlier epoch to compare with");
    assertFalse(s.exactOutputWorseAt(2), "0.20 is better than 0.30");
    assertFalse(s.exactOutputWorseAt(4));
    assertTrue(s.exactOutputWorseAt(5));
    assertTrue(s.exactOutputWorseAt(6));
    assertFalse(s.exactOutputWorseAt(7), "past the stream's end");
  }

  @Test
  void shouldNotCallARiseWithinSamplingNoiseWorse() {
    // 0.125 ≥ 1.2 × 0.10 = 0.12, but 0.125 − 0.10 = 0.025 is within the spread 0.05 − 0.02 = 0.03.
    assertFalse(stream(Fault.NONE, 0, 0.05, 0.02, 0.10, 0.125).exactOutputWorseAt(2));
    // The same rise with a spread of 0.01 is worse.
    assertTrue(stream(Fault.NONE, 0, 0.02, 0.01, 0.10, 0.125).exactOutputWorseAt(2));
  }

  @Test
  void shouldCompareWithTheBestOfTheLastTenEpochsOnly() {
    // Epoch 1's 0.01 is 11 epochs before epoch 12, outside the window: the best of epochs 2-11 is
    // 0.10 and 0.11 < 0.12. Against epoch 1 it would be 11 ×.
    double[] jsd = {0.01, 0.10, 0.10, 0.10, 0.10, 0.10, 0.10, 0.10, 0.10, 0.10, 0.10, 0.11};
    assertFalse(stream(Fault.NONE, 0, 0.02, 0.01, jsd).exactOutputWorseAt(12));
    double[] recent = jsd.clone();
    recent[1] = 0.01;
    assertTrue(stream(Fault.NONE, 0, 0.02, 0.01, recent).exactOutputWorseAt(12));
  }

  @Test
  void shouldCompareWithTheBestSoFarWhenAskedForTheWholeRun() {
    // The advice's lookback is the whole run: against epoch 1's 0.01 the 0.11 at epoch 12 is worse.
    double[] jsd = {0.01, 0.10, 0.10, 0.10, 0.10, 0.10, 0.10, 0.10, 0.10, 0.10, 0.10, 0.11};
    assertTrue(stream(Fault.NONE, 0, 0.02, 0.01, jsd).exactOutputWorseAt(12, 12));
    assertFalse(stream(Fault.NONE, 0, 0.02, 0.01, jsd).exactOutputWorseAt(12, 10));
  }

  @Test
  void shouldExcuseOnlyAlarmsBeforeTheFaultWhereTheModelGotWorse() {
    // Fault at epoch 6. Alarms at 3 (model better), 5 (worse: 0.13 against 0.10) and 6 (at the
    // fault: a detection, not a false alarm).
    LabelledStream s =
        stream(Fault.MODE_COLLAPSE, 6, 0.02, 0.01, 0.30, 0.20, 0.10, 0.10, 0.13, 0.25);
    List<Episode> eps =
        List.of(
            new Episode("d", Severity.WARNING, 3, 4),
            new Episode("d", Severity.WARNING, 5, 0),
            new Episode("d", Severity.WARNING, 6, 0));

    assertEquals(2, Scoreboard.falseAlarms(s, eps, false));
    assertEquals(1, Scoreboard.falseAlarms(s, eps, true));
  }
}
