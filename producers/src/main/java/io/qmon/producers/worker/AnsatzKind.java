package io.qmon.producers.worker;

import io.qmon.producers.sim.Ansatze;
import io.qmon.producers.sim.Circuit;
import io.qmon.producers.sim.Entanglement;

/** The parameterised circuits a simulated run can train (see SIMULATOR.md). */
public enum AnsatzKind {
  /** RY layers with CX entanglers (Qiskit RealAmplitudes). */
  REAL_AMPLITUDES("real_amplitudes"),
  /** RY and RZ layers with CX entanglers (Qiskit EfficientSU2). */
  EFFICIENT_SU2("efficient_su2"),
  /** Zoufal et al.'s qGAN generator: RY layers with CZ rings; ignores the entanglement. */
  QGAN_GENERATOR("qgan_generator");

  private final String key;

  AnsatzKind(String key) {
    this.key = key;
  }

  public String key() {
    return key;
  }

  /** The circuit on {@code qubits} qubits with {@code reps} repetitions. */
  public Circuit circuit(int qubits, int reps, Entanglement entanglement) {
    return switch (this) {
      case REAL_AMPLITUDES -> Ansatze.realAmplitudes(qubits, reps, entanglement);
      case EFFICIENT_SU2 -> Ansatze.efficientSu2(qubits, reps, entanglement);
      case QGAN_GENERATOR -> Ansatze.qganGenerator(qubits, reps);
    };
  }

  public static AnsatzKind of(String key) {
    for (AnsatzKind kind : values()) {
      if (kind.key.equals(key)) {
        return kind;
      }
    }
    throw new IllegalArgumentException(
        "unknown ansatz '" + key + "'; use real_amplitudes, efficient_su2 or qgan_generator");
  }
}
