package io.qmon.producers.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * Which qubit pairs an entangling layer couples, in the order Qiskit's {@code n_local} family
 * applies them (checked against Qiskit 2.1 by {@code QiskitCrossCheckIT}).
 */
public enum Entanglement {
  /** (0,1), (1,2), …, (n−2,n−1). */
  LINEAR,
  /** (n−2,n−1), …, (1,2), (0,1): Qiskit's default for RealAmplitudes and EfficientSU2. */
  REVERSE_LINEAR,
  /** (n−1,0) first, then linear; on 2 qubits just (0,1). */
  CIRCULAR,
  /** Every pair (i,j), i &lt; j, in lexicographic order. */
  FULL;

  /** The (control, target) pairs of one entangling layer on {@code qubits} qubits. */
  public int[][] pairs(int qubits) {
    List<int[]> out = new ArrayList<>();
    switch (this) {
      case LINEAR -> linear(qubits, out);
      case REVERSE_LINEAR -> {
        for (int i = qubits - 2; i >= 0; i--) {
          out.add(new int[] {i, i + 1});
        }
      }
      case CIRCULAR -> {
        if (qubits > 2) {
          out.add(new int[] {qubits - 1, 0});
        }
        linear(qubits, out);
      }
      case FULL -> {
        for (int i = 0; i < qubits; i++) {
          for (int j = i + 1; j < qubits; j++) {
            out.add(new int[] {i, j});
          }
        }
      }
    }
    return out.toArray(new int[0][]);
  }

  private static void linear(int qubits, List<int[]> out) {
    for (int i = 0; i + 1 < qubits; i++) {
      out.add(new int[] {i, i + 1});
    }
  }
}
