package io.qmon.jobs.advise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qmon.metrics.advice.AdviceSettingsByModel;
import io.qmon.schemas.Advice;
import io.qmon.schemas.AdviceKind;
import io.qmon.schemas.Alert;
import io.qmon.schemas.AlertState;
import io.qmon.schemas.MetricRecord;
import io.qmon.schemas.MetricScope;
import io.qmon.schemas.Severity;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
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
        new AdviseTraining(AdviceSettingsByModel.DEFAULTS), MetricRecord::getRunId, Types.STRING);
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

  /** A run flat at 0.05 from the start (floor 0.004): barren once it has W + k epochs. */
  private static void flatEpochs(
      KeyedOneInputStreamOperatorTestHarness<String, MetricRecord, Advice> harness,
      String run,
      int from,
      int to)
      throws Exception {
    for (int e = from; e <= to; e++) {
      harness.processElement(record(run, MetricScope.EPOCH, e, 0.05, Map.of()), e);
    }
  }

  private static List<String> adviceIds(
      KeyedOneInputStreamOperatorTestHarness<String, MetricRecord, Advice> harness) {
    return harness.extractOutputValues().stream()
        .map(a -> a.getAdviceId() + "@" + a.getEpoch())
        .toList();
  }

  @Test
  void shouldJudgeEachRunByTheRulesOfTheModelTypeItsStartDeclares() throws Exception {
    var harness = harness();
    harness.processElement(
        record("born", MetricScope.RUN_OPENED, 0, 0, Map.of("model_type", "born_machine")), 0);
    harness.processElement(
        record("gan", MetricScope.RUN_OPENED, 0, 0, Map.of("model_type", "QGAN")), 0);
    harness.processElement(record("unknown", MetricScope.RUN_OPENED, 0, 0, Map.of()), 0);
    flatEpochs(harness, "born", 1, 60);
    flatEpochs(harness, "gan", 1, 60);
    flatEpochs(harness, "unknown", 1, 60);
    // W + k: 20 + 10 for a Born machine and a run of unknown type, 40 + 10 for a qGAN.
    assertEquals(
        List.of("born/BARREN_PLATEAU@30", "gan/BARREN_PLATEAU@50", "unknown/BARREN_PLATEAU@30"),
        adviceIds(harness).stream().sorted().toList());
    for (String run : List.of("born", "gan", "unknown")) {
      harness.processElement(record(run, MetricScope.RUN_CLOSED, 60, 0, Map.of()), 61);
    }
    assertEquals(0, harness.numKeyedStateEntries(), "both states are cleared on close");
    harness.close();
  }

  /**
   * Keyed state as {@code AdviseTraining} of commit 5740d4e wrote it, before a run's model type was
   * kept: run "q" opened with start params epochs 120 and model_type qgan, then 25 epochs flat at
   * jsd 0.05 (floor 0.004, mean 0.0013, coverage 1), no advice yet. Written by that commit's code
   * with {@code ProcessFunctionTestHarnesses.forKeyedProcessFunction}, {@code AdviceSettings} (10,
   * 20, 3, 3, 0.5, 0.1, 0.2), this class's {@code record}, {@code harness.snapshot(1, 25)} and
   * {@code OperatorSnapshotUtil.writeStateHandle}.
   */
  private static KeyedOneInputStreamOperatorTestHarness<String, MetricRecord, Advice>
      restoredFromBeforeModelTypes() throws Exception {
    var harness =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(new AdviseTraining(AdviceSettingsByModel.DEFAULTS)),
            MetricRecord::getRunId,
            Types.STRING);
    harness.initializeState(
        OperatorSnapshotUtil.readStateHandle(
            Path.of(
                    AdviseTrainingTest.class
                        .getResource("advise-training-5740d4e.snapshot")
                        .toURI())
                .toString()));
    harness.open();
    return harness;
  }

  @Test
  void shouldGoOnJudgingARunRestoredFromBeforeModelTypesByTheStandardRules() throws Exception {
    var harness = restoredFromBeforeModelTypes();
    flatEpochs(harness, "q", 26, 40);
    // The restored run keeps its 25 epochs (barren at 30, not 31 + W + k) and, its model type
    // unknown, the standard W of 20; its declared 120 epochs survive too.
    List<Advice> advice = harness.extractOutputValues();
    assertEquals(1, advice.size(), advice.toString());
    assertEquals(AdviceKind.BARREN_PLATEAU, advice.get(0).getKind());
    assertEquals(30, advice.get(0).getEpoch());
    assertEquals(120, advice.get(0).getMaxEpochs());

    harness.processElement(record("q", MetricScope.RUN_CLOSED, 40, 0, Map.of()), 41);
    harness.processElement(
        record("q2", MetricScope.RUN_OPENED, 0, 0, Map.of("model_type", "qgan")), 42);
    flatEpochs(harness, "q2", 1, 50);
    assertEquals(List.of("q/BARREN_PLATEAU@30", "q2/BARREN_PLATEAU@50"), adviceIds(harness));
    harness.close();
  }

  private static List<Alert> alerts(KeyedOneInputStreamOperatorTestHarness<String, ?, ?> h) {
    var side = h.getSideOutput(AdviseTraining.ALERTS);
    return side == null ? List.of() : side.stream().map(r -> r.getValue()).toList();
  }
}
