package io.qmon.jobs.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.qmon.schemas.MetricRecord;
import io.qmon.schemas.MetricScope;
import io.qmon.schemas.RunCloseStatus;
import io.qmon.schemas.RunStarted;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunRecordsTest {
  private static RunStarted start() {
    return RunStarted.newBuilder()
        .setExperiment("exp")
        .setModelType("qgan")
        .setAnsatz("real_amplitudes")
        .setRepetitions(3)
        .setQubits(4)
        .setShots(2048)
        .setBackend("aer")
        .setNoiseModel("depolarizing")
        .setOptimizer("spsa")
        .setOptimizerSettings(Map.of("lr", "0.01", "maxiter", "200"))
        .setSeed(42)
        .setTargetId("t4")
        .setConfigId("cfg-1")
        .setRepeatIndex(2)
        .setParams(Map.of("batch", "16", "shots", "user-value"))
        .setTags(Map.of("team", "q"))
        .build();
  }

  @Test
  void shouldCarryEveryStartFieldAsAParamAndTheTags() {
    MetricRecord opened = RunRecords.opened("run-1", start(), 1_000, 2_000);
    assertEquals("run-1/opened", opened.getRecordId());
    assertEquals(MetricScope.RUN_OPENED, opened.getScope());
    assertEquals(
        Map.ofEntries(
            Map.entry("model_type", "qgan"),
            Map.entry("ansatz", "real_amplitudes"),
            Map.entry("repetitions", "3"),
            Map.entry("qubits", "4"),
            Map.entry("shots", "2048"),
            Map.entry("backend", "aer"),
            Map.entry("noise_model", "depolarizing"),
            Map.entry("optimizer", "spsa"),
            Map.entry("optimizer.lr", "0.01"),
            Map.entry("optimizer.maxiter", "200"),
            Map.entry("seed", "42"),
            Map.entry("target_id", "t4"),
            Map.entry("config_id", "cfg-1"),
            Map.entry("repeat_index", "2"),
            Map.entry("batch", "16")),
        opened.getParams());
    assertEquals(Map.of("team", "q"), opened.getTags());
    assertEquals("exp", opened.getExperiment());
    assertEquals(1_000, opened.getEventTime().toEpochMilli());
    assertEquals(2_000, opened.getProcessedTime().toEpochMilli());
  }

  @Test
  void shouldCarryTheStartsAttachmentsOnRunOpenedOnly() {
    RunStarted start =
        RunStarted.newBuilder(start())
            .setAttachments(
                Map.of("environment.txt", "numpy==2.3.4\n", "circuit.qasm", "OPENQASM 3.0;"))
            .build();
    MetricRecord opened = RunRecords.opened("run-1", start, 1_000, 2_000);
    assertEquals(
        Map.of("environment.txt", "numpy==2.3.4\n", "circuit.qasm", "OPENQASM 3.0;"),
        opened.getAttachments());
    MetricRecord closed =
        RunRecords.closed("run-1", start, null, RunCloseStatus.SUCCEEDED, null, null, 3_000, 4_000);
    assertEquals(Map.of(), closed.getAttachments());
  }
}
