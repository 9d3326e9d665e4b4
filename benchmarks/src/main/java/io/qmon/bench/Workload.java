package io.qmon.bench;

import java.util.List;

/** The event shapes the benchmark measures: qubits and shots per epoch. */
public enum Workload {
  FIVE_QUBITS("5q", 5, 1024),
  TWELVE_QUBITS("12q", 12, 8192);

  private final String label;
  private final int qubits;
  private final int shots;

  Workload(String label, int qubits, int shots) {
    this.label = label;
    this.qubits = qubits;
    this.shots = shots;
  }

  public String label() {
    return label;
  }

  public int qubits() {
    return qubits;
  }

  public int shots() {
    return shots;
  }

  /** {@code 5q}, {@code 12q} or {@code all}. */
  static List<Workload> select(String value) {
    for (Workload workload : values()) {
      if (workload.label.equals(value)) {
        return List.of(workload);
      }
    }
    if (value.equals("all")) {
      return List.of(values());
    }
    throw new IllegalArgumentException("--workload must be 5q, 12q or all, got '" + value + "'");
  }
}
