package io.qmon.producers.worker;

import io.qmon.producers.sim.Entanglement;
import io.qmon.producers.train.Loss;

/**
 * What one simulated training run does: a quantum circuit Born machine with a RealAmplitudes ansatz
 * on {@code qubits} qubits, trained with SPSA against a discretised standard normal target.
 *
 * @param epochIntervalMs pause between epochs, so a demo unfolds at a watchable pace (0: none)
 */
public record SimulatedRunSpec(
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

  public SimulatedRunSpec {
    if (qubits < 1 || qubits > 20) {
      throw new IllegalArgumentException("qubits must be in [1, 20], got " + qubits);
    }
    if (epochs < 1) {
      throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
    }
    if (shots < 1) {
      throw new IllegalArgumentException("shots must be >= 1, got " + shots);
    }
  }

  /** The id of the target this run learns: the standard normal on [−3, 3] over its qubits. */
  public String targetId() {
    return TargetEvents.standardNormalId(qubits);
  }
}
