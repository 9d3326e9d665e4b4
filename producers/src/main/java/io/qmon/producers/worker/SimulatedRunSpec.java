package io.qmon.producers.worker;

import io.qmon.producers.sim.Entanglement;
import io.qmon.producers.train.Loss;

/**
 * What one simulated training run does: train {@code model} on {@code qubits} qubits for {@code
 * epochs} epochs, drawing {@code shots} shots per epoch.
 *
 * @param epochIntervalMs pause between epochs, so a demo unfolds at a watchable pace (0: none)
 * @param configId the sweep configuration this run belongs to, or null
 * @param repeatIndex which repeat of that configuration this run is (0 outside sweeps)
 */
public record SimulatedRunSpec(
    String runId,
    String experiment,
    int qubits,
    ModelSpec model,
    int shots,
    int epochs,
    long seed,
    long epochIntervalMs,
    String configId,
    int repeatIndex) {

  public SimulatedRunSpec {
    if (runId == null || runId.isBlank()) {
      throw new IllegalArgumentException("runId must not be blank");
    }
    if (model == null) {
      throw new IllegalArgumentException("model must be set");
    }
    if (qubits < 1 || qubits > 20) {
      throw new IllegalArgumentException("qubits must be in [1, 20], got " + qubits);
    }
    if (epochs < 1) {
      throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
    }
    if (shots < 1) {
      throw new IllegalArgumentException("shots must be >= 1, got " + shots);
    }
    if (repeatIndex < 0) {
      throw new IllegalArgumentException("repeatIndex must be >= 0, got " + repeatIndex);
    }
  }

  /** A Born machine on RealAmplitudes against the standard normal, outside any sweep. */
  public SimulatedRunSpec(
      String runId,
      String experiment,
      int qubits,
      int repetitions,
      Entanglement entanglement,
      Loss loss,
      int shots,
      int epochs,
      long seed,
      long epochIntervalMs) {
    this(
        runId,
        experiment,
        qubits,
        ModelSpec.bornMachine(repetitions, entanglement, loss),
        shots,
        epochs,
        seed,
        epochIntervalMs,
        null,
        0);
  }

  public int repetitions() {
    return model.repetitions();
  }

  public Entanglement entanglement() {
    return model.entanglement();
  }

  public Loss loss() {
    return model.loss();
  }

  /** The id of the target this run learns over its qubits. */
  public String targetId() {
    return model.target().id(qubits);
  }
}
