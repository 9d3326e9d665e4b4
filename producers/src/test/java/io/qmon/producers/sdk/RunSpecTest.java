package io.qmon.producers.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.qmon.schemas.RunStarted;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunSpecTest {

  @Test
  void shouldNeedOnlyQubitsShotsAndATargetForAFirstRun() {
    RunSpec spec = RunSpec.builder("my-run").qubits(4).shots(1024).target("normal-q4").build();
    RunStarted started = spec.toRunStarted();
    assertEquals("my-run", spec.runId());
    assertEquals(4, started.getQubits());
    assertEquals(1024L, started.getShots());
    assertEquals("normal-q4", started.getTargetId());
    assertEquals("default", started.getExperiment());
    assertEquals("custom", started.getModelType());
    assertEquals("unknown", started.getAnsatz());
    assertEquals("unknown", started.getBackend());
    assertEquals("unknown", started.getOptimizer());
    assertEquals(0, started.getRepetitions());
    assertEquals(0L, started.getSeed());
    assertEquals(0, started.getRepeatIndex());
    assertNull(started.getConfigId());
    assertNull(started.getNoiseModel());
    assertEquals(Map.of(), started.getParams());
  }

  @Test
  void shouldDeclareTheLoopsEpochsAsTheParamTheAdviceCountsSavingsAgainst() {
    RunStarted started =
        RunSpec.builder("r")
            .qubits(3)
            .shots(1024)
            .target("t")
            .maxEpochs(200)
            .build()
            .toRunStarted();
    assertEquals(Map.of("max_epochs", "200"), started.getParams());
    InvalidEventException refused =
        assertThrows(InvalidEventException.class, () -> RunSpec.builder("r").maxEpochs(0));
    assertEquals("max_epochs", refused.field());
  }

  @Test
  void shouldCarryEverySettingIntoTheStartEvent() {
    RunStarted started =
        RunSpec.builder("r")
            .experiment("lab")
            .modelType("born_machine")
            .ansatz("real_amplitudes")
            .repetitions(3)
            .qubits(2)
            .shots(100)
            .target("t")
            .backend("aer")
            .noiseModel("fake_brisbane")
            .optimizer("spsa")
            .optimizerSetting("a", 0.6)
            .seed(7)
            .config("cfg-1", 2)
            .param("lr", 0.01)
            .tag("owner", "ada")
            .build()
            .toRunStarted();
    assertEquals("lab", started.getExperiment());
    assertEquals("born_machine", started.getModelType());
    assertEquals("real_amplitudes", started.getAnsatz());
    assertEquals(3, started.getRepetitions());
    assertEquals("aer", started.getBackend());
    assertEquals("fake_brisbane", started.getNoiseModel());
    assertEquals("spsa", started.getOptimizer());
    assertEquals(Map.of("a", "0.6"), started.getOptimizerSettings());
    assertEquals(7L, started.getSeed());
    assertEquals("cfg-1", started.getConfigId());
    assertEquals(2, started.getRepeatIndex());
    assertEquals(Map.of("lr", "0.01"), started.getParams());
    assertEquals(Map.of("owner", "ada"), started.getTags());
  }

  @Test
  void shouldNameTheMissingSetting() {
    InvalidEventException noTarget =
        assertThrows(
            InvalidEventException.class, () -> RunSpec.builder("r").qubits(2).shots(10).build());
    assertEquals("target_id", noTarget.field());
    InvalidEventException noShots =
        assertThrows(
            InvalidEventException.class, () -> RunSpec.builder("r").qubits(2).target("t").build());
    assertEquals("shots", noShots.field());
    InvalidEventException noQubits =
        assertThrows(
            InvalidEventException.class, () -> RunSpec.builder("r").shots(1).target("t").build());
    assertEquals("qubits", noQubits.field());
  }
}
