package io.qmon.jobs.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qmon.schemas.Alert;
import io.qmon.schemas.AlertState;
import io.qmon.schemas.MetricRecord;
import io.qmon.schemas.MetricScope;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class DetectAnomaliesTest {
  private static MetricRecord epoch(int epoch, double jsd, MetricScope scope) {
    return MetricRecord.newBuilder()
        .setRecordId("r/epoch/" + epoch)
        .setRunId("r")
        .setScope(scope)
        .setFirstEpoch(epoch)
        .setLastEpoch(epoch)
        .setEventTime(Instant.ofEpochMilli(1000L * epoch))
        .setProcessedTime(Instant.ofEpochMilli(1000L * epoch))
        .setTargetId("t")
        .setQubits(4)
        .setShots(1024)
        .setMetrics(Map.of("jsd", jsd))
        .setExperiment("bars-and-stripes")
        .setConfigId("cfg-7")
        .build();
  }

  @Test
  void shouldFireOnADivergenceJumpResolveAtRunEndAndClearState() throws Exception {
    KeyedOneInputStreamOperatorTestHarness<String, MetricRecord, MetricRecord> harness =
        ProcessFunctionTestHarnesses.forKeyedProcessFunction(
            new DetectAnomalies(DetectorCatalog.factory("jsd-zscore")),
            MetricRecord::getRunId,
            Types.STRING);
    java.util.Random noise = new java.util.Random(7);
    int e = 1;
    for (; e <= 40; e++) {
      harness.processElement(epoch(e, 0.02 + 0.002 * noise.nextGaussian(), MetricScope.EPOCH), e);
    }
    assertTrue(alerts(harness).isEmpty(), "shot noise alone raises nothing");
    assertEquals(40, harness.extractOutputValues().size(), "every metric record is passed on");
    for (int jump = 0; jump < 3; jump++, e++) {
      harness.processElement(epoch(e, 0.4, MetricScope.EPOCH), e);
    }
    List<Alert> alerts = alerts(harness);
    assertEquals(1, alerts.size(), "the jump fires within 3 epochs: " + alerts);
    Alert fired = alerts.get(0);
    assertEquals(AlertState.FIRING, fired.getState());
    assertEquals("jsd", fired.getMetric());
    assertTrue(fired.getReason().length() > 10, fired.getReason());
    assertEquals("bars-and-stripes", fired.getExperiment(), "experiment of the run's start");
    assertEquals("cfg-7", fired.getConfigId(), "config id of the run's start");

    harness.processElement(epoch(e, 0.4, MetricScope.RUN_CLOSED), e);
    Alert resolved = alerts(harness).get(1);
    assertEquals(AlertState.RESOLVED, resolved.getState());
    assertEquals(fired.getAlertId(), resolved.getAlertId(), "one id per firing episode");
    assertEquals("bars-and-stripes", resolved.getExperiment());
    assertEquals("cfg-7", resolved.getConfigId());
    assertEquals(0, harness.numKeyedStateEntries());
    harness.close();
  }

  private static List<Alert> alerts(
      KeyedOneInputStreamOperatorTestHarness<String, MetricRecord, MetricRecord> harness) {
    var side = harness.getSideOutput(DetectAnomalies.ALERTS);
    return side == null ? List.of() : side.stream().map(r -> r.getValue()).toList();
  }

  @Test
  void shouldRefuseAnUnknownDetectorNamingIt() {
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> DetectorCatalog.factory("jsd-zscore,psychic"));
    assertTrue(e.getMessage().contains("psychic"), e.getMessage());
  }
}
