package io.qmon.producers.worker;

import io.qmon.producers.sim.InitialState;
import io.qmon.producers.train.Target;

/** The state a simulated run's circuit starts from. */
public enum InitKind {
  /** |0…0⟩. */
  ZERO("zero"),
  /** Hadamard on every qubit: the uniform superposition. */
  UNIFORM("uniform"),
  /** The discretised standard normal on [−3, 3] loaded exactly (the qGAN paper's choice). */
  NORMAL("normal"),
  /** A seeded random product state RY(α)|0⟩ per qubit. */
  RANDOM("random");

  private final String key;

  InitKind(String key) {
    this.key = key;
  }

  public String key() {
    return key;
  }

  /** The initial state on {@code qubits} qubits; {@code seed} drives {@link #RANDOM}. */
  public InitialState state(int qubits, long seed) {
    return switch (this) {
      case ZERO -> InitialState.zero();
      case UNIFORM -> InitialState.uniform();
      case NORMAL -> InitialState.amplitudesOf(Target.standardNormal(qubits).distribution());
      case RANDOM -> InitialState.random(qubits, seed);
    };
  }

  public static InitKind of(String key) {
    for (InitKind kind : values()) {
      if (kind.key.equals(key)) {
        return kind;
      }
    }
    throw new IllegalArgumentException(
        "unknown initialisation '" + key + "'; use zero, uniform, normal or random");
  }
}
