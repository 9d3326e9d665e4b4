package io.qmon.producers.sim;

/**
 * Parameterised circuits (ansätze) used as generators, with Qiskit's gate and parameter order.
 *
 * <p>Parameters are numbered layer by layer and, within a layer, qubit by qubit, exactly as Qiskit
 * numbers {@code θ[i]}, so a parameter vector trained here can be bound to the Qiskit circuit.
 */
public final class Ansatze {
  private Ansatze() {}

  /**
   * Qiskit's {@code RealAmplitudes} ({@code real_amplitudes}): an RY layer on every qubit, then
   * {@code reps} times a CX entangling layer followed by another RY layer. Real amplitudes only,
   * n·(reps+1) parameters.
   */
  public static Circuit realAmplitudes(int qubits, int reps, Entanglement entanglement) {
    return twoLocal(qubits, reps, entanglement, false, Gate.CX);
  }

  /**
   * Qiskit's {@code EfficientSU2} ({@code efficient_su2}) with su2_gates = ['ry', 'rz']: each
   * rotation layer is RY on every qubit then RZ on every qubit; CX entangling layers in between.
   * 2n·(reps+1) parameters.
   */
  public static Circuit efficientSu2(int qubits, int reps, Entanglement entanglement) {
    return twoLocal(qubits, reps, entanglement, true, Gate.CX);
  }

  /**
   * The qGAN generator of Zoufal, Lucchi and Woerner (npj Quantum Information 5, 103 (2019)): k+1
   * layers of RY rotations separated by k entangling blocks of CZ gates between qubit i and (i+1)
   * mod n. It equals Qiskit's {@code TwoLocal(n, 'ry', 'cz', reps=k, entanglement='circular')}; on
   * two qubits the block is a single CZ. n·(k+1) parameters. Combine with an {@link InitialState}
   * (uniform, normal or random) as in the paper.
   */
  public static Circuit qganGenerator(int qubits, int depth) {
    return twoLocal(qubits, depth, Entanglement.CIRCULAR, false, Gate.CZ);
  }

  private static Circuit twoLocal(
      int qubits, int reps, Entanglement entanglement, boolean withRz, Gate entangler) {
    if (reps < 0) {
      throw new IllegalArgumentException("reps must be >= 0, got " + reps);
    }
    if (entanglement == null) {
      throw new IllegalArgumentException("entanglement must not be null");
    }
    Circuit.Builder b = Circuit.builder(qubits);
    int[][] pairs = qubits > 1 ? entanglement.pairs(qubits) : new int[0][];
    int p = rotationLayer(b, qubits, withRz, 0);
    for (int r = 0; r < reps; r++) {
      for (int[] pair : pairs) {
        if (entangler == Gate.CX) {
          b.cx(pair[0], pair[1]);
        } else {
          b.cz(pair[0], pair[1]);
        }
      }
      p = rotationLayer(b, qubits, withRz, p);
    }
    return b.build();
  }

  private static int rotationLayer(Circuit.Builder b, int qubits, boolean withRz, int next) {
    for (int q = 0; q < qubits; q++) {
      b.ryParam(q, next++);
    }
    if (withRz) {
      for (int q = 0; q < qubits; q++) {
        b.rzParam(q, next++);
      }
    }
    return next;
  }
}
