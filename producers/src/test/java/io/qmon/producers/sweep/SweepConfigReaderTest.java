package io.qmon.producers.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qmon.producers.sim.Entanglement;
import io.qmon.producers.worker.AnsatzKind;
import io.qmon.producers.worker.InitKind;
import io.qmon.producers.worker.ModelKind;
import io.qmon.producers.worker.SimulatedRunSpec;
import io.qmon.producers.worker.TargetKind;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SweepConfigReaderTest {

  @Test
  void shouldReadTheShippedExampleIntoEveryCombinationTimesRepeats() throws Exception {
    SweepConfig config = SweepConfigReader.read(Path.of("examples", "sweep.json"));
    assertEquals(ModelKind.BORN_MACHINE, config.model());
    assertEquals(TargetKind.NORMAL, config.target());
    assertEquals(Entanglement.LINEAR, config.entanglement());
    assertEquals(List.of(AnsatzKind.REAL_AMPLITUDES, AnsatzKind.EFFICIENT_SU2), config.ansatze());
    assertEquals(List.of(InitKind.UNIFORM, InitKind.RANDOM), config.initialisations());
    assertTrue(Double.isNaN(config.learningRates().get(0)));
    assertEquals(0.3, config.learningRates().get(1));
    assertEquals(2 * 2 * 2 * 1 * 2, config.points().size());
    assertEquals(32, config.runCount());
    assertEquals(2, config.parallelWorkers());
  }

  @Test
  void shouldTagEachRunWithADeterministicConfigIdAndItsRepeatIndex() {
    SweepConfig config =
        SweepConfigReader.parse(
            "{\"qubits\":[3,4],\"epochs\":2,\"repeats\":3,\"learning_rates\":[0.10,\"auto\"]}");
    List<SimulatedRunSpec> specs = config.runSpecs("s1");
    assertEquals(12, specs.size());
    SimulatedRunSpec first = specs.get(0);
    assertEquals("born_machine-normal-real_amplitudes-r2-uniform-q3-lr0.1", first.configId());
    assertEquals("s1-born_machine-normal-real_amplitudes-r2-uniform-q3-lr0.1-0", first.runId());
    assertEquals(
        List.of(0, 1, 2), specs.subList(0, 3).stream().map(SimulatedRunSpec::repeatIndex).toList());
    assertEquals(
        "born_machine-normal-real_amplitudes-r2-uniform-q3-lrauto", specs.get(3).configId());
    Set<String> ids = specs.stream().map(SimulatedRunSpec::configId).collect(Collectors.toSet());
    assertEquals(4, ids.size());
    List<SimulatedRunSpec> again = config.runSpecs("s2");
    for (int i = 0; i < specs.size(); i++) {
      assertEquals(specs.get(i).configId(), again.get(i).configId());
      assertEquals(specs.get(i).seed(), again.get(i).seed(), "seeds do not depend on the session");
    }
    assertEquals(
        specs.size(), specs.stream().map(SimulatedRunSpec::seed).distinct().count(), "seeds");
  }

  @Test
  void shouldNameTheKeyOfEveryError() {
    assertError("{\"epochs\":5}", "qubits: is required");
    assertError("{\"qubits\":[3]}", "epochs: is required");
    assertError("{\"qubits\":[3, 25],\"epochs\":5}", "qubits[1]: 25 must be in [1, 20]");
    assertError("{\"qubits\":[3, 3],\"epochs\":5}", "qubits[1]: repeats an earlier entry");
    assertError("{\"qubits\":[],\"epochs\":5}", "qubits: must be a non-empty list, got []");
    assertError(
        "{\"qubits\":[3],\"epochs\":5,\"ansatze\":[\"real_amplitudes\",\"ry\"]}",
        "ansatze[1]: unknown ansatz 'ry'; use real_amplitudes, efficient_su2 or qgan_generator");
    assertError(
        "{\"qubits\":[3],\"epochs\":5,\"learning_rates\":[-1]}",
        "learning_rates[0]: -1.0 must be in (0, 100)");
    assertError("{\"qubits\":[3],\"epochs\":5,\"model\":\"vae\"}", "model: unknown model 'vae'");
    assertError("{\"qubits\":[3],\"epochs\":0}", "epochs: 0 must be in [1, 1000000]");
    assertError("{\"qubits\":[3],\"epochs\":5,\"parallel_workers\":0}", "parallel_workers: 0");
    assertError("{\"qubits\":[3],\"epochs\":5,\"shots\":\"many\"}", "shots: must be an integer");
    assertError("{\"qubits\":[3],\"epoch\":5}", "epoch: unknown key");
    assertError("[1,2]", "sweep config must be a JSON object");
    assertError("{\"qubits\":", "sweep config is not valid JSON");
  }

  private static void assertError(String json, String expectedStart) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> SweepConfigReader.parse(json));
    assertTrue(
        e.getMessage().startsWith(expectedStart),
        "expected '" + expectedStart + "' but was '" + e.getMessage() + "'");
  }
}
