package io.qmon.producers.worker;

import io.qmon.metrics.targets.DiscretisedTarget;
import io.qmon.producers.train.Target;

/** The distributions a simulated run can learn, each with a stable target id per qubit count. */
public enum TargetKind {
  /** Normal, mean 0, standard deviation 1, on [−3, 3]. */
  NORMAL("normal"),
  /** Log-normal with μ = 1, σ = 1 on [0, 7] (the qGAN paper's target). */
  LOG_NORMAL("lognormal"),
  /** Equal mixture of normals at ±1.5 with standard deviation 0.6, on [−3, 3]. */
  BIMODAL("bimodal"),
  /** Uniform over all outcomes on [0, 1]. */
  UNIFORM("uniform");

  private final String key;

  TargetKind(String key) {
    this.key = key;
  }

  public String key() {
    return key;
  }

  public Target target(int qubits) {
    return switch (this) {
      case NORMAL -> Target.standardNormal(qubits);
      case LOG_NORMAL -> Target.of(DiscretisedTarget.logNormal(qubits, 1.0, 1.0, 0.0, 7.0));
      case BIMODAL -> Target.of(DiscretisedTarget.bimodal(qubits, -1.5, 1.5, 0.6, -3.0, 3.0));
      case UNIFORM -> Target.of(DiscretisedTarget.uniform(qubits, 0.0, 1.0));
    };
  }

  /** The id of this target over {@code qubits} qubits on {@code qgm.targets}. */
  public String id(int qubits) {
    return switch (this) {
      case NORMAL -> TargetEvents.standardNormalId(qubits);
      case LOG_NORMAL -> "lognormal-1-1-q" + qubits;
      case BIMODAL -> "bimodal-1.5-0.6-q" + qubits;
      case UNIFORM -> "uniform-q" + qubits;
    };
  }

  public static TargetKind of(String key) {
    for (TargetKind kind : values()) {
      if (kind.key.equals(key)) {
        return kind;
      }
    }
    throw new IllegalArgumentException(
        "unknown target '" + key + "'; use normal, lognormal, bimodal or uniform");
  }
}
