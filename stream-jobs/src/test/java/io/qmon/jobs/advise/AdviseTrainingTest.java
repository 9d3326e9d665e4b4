package io.qmon.jobs.advise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qmon.metrics.advice.AdviceSettings;
import io.qmon.schemas.Advice;
import io.qmon.schemas.AdviceKind;
import io.qmon.schemas.Alert;
import io.qmon.schemas.AlertState;
import io.qmon.schemas.MetricRecord;
import io.qmon.schemas.MetricScope;
import io.qmon.schemas.Severity;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class AdviseTrainingTest {
  private static MetricRecord record(
      String run, MetricScope scope, int epoch, double jsd, Map<String, String> params) {
    return MetricRecord.newBuilder()
        .setRecordId(run + "/" + scope + "/" + epoch)
        .setRunId(run)
        .setScope(scope)
        .setFirstEpoch(epoch)
        .setLastEpoch(epoch)
        .setEventTime(Instant.ofEpochMilli(1000L * epoch))
        .setProcessedTime(Instant.ofEpochMilli(1000L * epoch))
        .setTargetId("t")
        .setQubits(3)
        .setShots(1024)
        .setMetrics(scope == MetricScope.EPOCH ? Map.of("jsd", jsd, "coverage", 1.0) : Map.of())
        .setNoiseFloors(
            scope == MetricScope.EPOCH ? Map.of("jsd", 0.004, "jsd_expected", 0.0013) : Map.of())
        .setParams(params)
        .setExperiment("e")
        .build();
  }

  private static KeyedOneInputStreamOperatorTestHarness<String, MetricRecord, Advice> harness()
      throws Exception {
    return ProcessFunctionTestHarnesses.forKeyedProcessFunction(
        new AdviseTraining(AdviceSettings.DEFAULTS), MetricRecord::getRunId, Types.STRING);
  }

  @Test
  void shouldAdviseAConvergedRunOnceWithItsSavingsAndClearStateWhenItCloses() throws Exception {
    var harness = harness();
    harness.processElement(record("r", MetricScope.RUN_OPENED, 0, 0, Map.of("epochs", "100")), 0);
    // Five epochs well above the floor 0.004, then at 0.002: the median of the last 10 epochs
    // reaches the floor at epoch 11 (five of ten at 0.002 and the middle pair 0.002 / 0.05 gives
    // 0.026; with six at 0.002 the pair is 0.002 / 0.002).
    double[] jsd = {0.05, 0.05, 0.05, 0.05, 0.05, 0.002, 0.002, 0.002, 0.002, 0.002, 0.002, 0.002};
    for (int e = 1; e <= jsd.length; e++) {
      harness.processElement(record("r", MetricScope.EPOCH, e, jsd[e - 1], Map.of()), e);
    }
    List<Advice> advice = harness.extractOutputValues();
    assertEquals(1, advice.size(), "one piece of advice: " + advice);
    Advice converged = advice.get(0);
    assertEquals(AdviceKind.CONVERGED_AT_NOISE_FLOOR, converged.getKind());
    assertEquals("r/CONVERGED_AT_NOISE_FLOOR", converged.getAdviceId());
    assertTrue(converged.getStop());
    assertEquals(11, converged.getEpoch());
    assertEquals(2, converged.getSinceEpoch());
    assertEquals(0.002, converged.getLevel(), 1e-12);
    assertEquals(0.004, converged.getFloor(), 1e-12);
    assertEquals(0.0013, converged.getFloorExpected(), 1e-12);
    assertEquals(10, converged.getValues().size());
    assertEquals(100, converged.getMaxEpochs());
    assertEquals(89, converged.getEpochsSaved());
    assertEquals(89L * 1024, converged.getShotsSaved());
    assertEquals("e", converged.getExperiment());

    List<Alert> alerts = alerts(harness);
    assertEquals(1, alerts.size(), "one INFO alert: " + alerts);
    assertEquals(AlertState.FIRING, alerts.get(0).getState());
    assertEquals(Severity.INFO, alerts.get(0).getSeverity());
    assertEquals("jsd-converged-at-noise-floor", alerts.get(0).getDetector());

    harness.processElement(record("r", MetricScope.RUN_CLOSED, 12, 0, Map.of()), 13);
    alerts = alerts(harness);
    assertEquals(2, alerts.size());
    assertEquals(AlertState.RESOLVED, alerts.get(1).getState());
    assertEquals(alerts.get(0).getAlertId(), alerts.get(1).getAlertId(), "one episode, one id");
    assertEquals(0, harness.numKeyedStateEntries(), "the run's state is cleared on close");
    assertEquals(0, harness.numEventTimeTimers());
    assertEquals(0, harness.numProcessingTimeTimers());
    harness.close();
  }

  @Test
  void shouldReadDeclaredEpochsFromMaxEpochsFirstAndIgnoreFreeFormValues() {
    assertEquals(50, AdviseTraining.declaredEpochs(Map.of("max_epochs", "50", "epochs", "80")));
    assertEquals(80, AdviseTraining.declaredEpochs(Map.of("epochs", "80")));
    assertNull(AdviseTraining.declaredEpochs(Map.of("epochs", "as many as it takes")));
    assertNull(AdviseTraining.declaredEpochs(Map.of()));
  }

  private static List<Alert> alerts(KeyedOneInputStreamOperatorTestHarness<String, ?, ?> h) {
    var side = h.getSideOutput(AdviseTraining.ALERTS);
    return side == null ? List.of() : side.stream().map(r -> r.getValue()).toList();
  }
}
