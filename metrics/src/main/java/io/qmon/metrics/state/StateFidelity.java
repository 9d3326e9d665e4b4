package io.qmon.metrics.state;

/**
 * The fidelity of two pure states, F = |⟨target|ψ⟩|², in [0, 1]; as Qiskit's {@code
 * state_fidelity(target, state)}. One pass over the 2^n amplitudes, no allocation.
 */
public final class StateFidelity {
  private StateFidelity() {}

  /**
   * |⟨target|state⟩|².
   *
   * @throws IllegalArgumentException when the two states have different qubit counts
   */
  public static double of(StateVector target, StateVector state) {
    if (target.qubits() != state.qubits()) {
      throw new IllegalArgumentException(
          "target state has "
              + target.qubits()
              + " qubits but the state has "
              + state.qubits()
              + ": fidelity needs equal qubit counts");
    }
    double sumRe = 0;
    double sumIm = 0;
    for (int x = 0; x < state.dimension(); x++) {
      // conj(t_x) · a_x
      sumRe += target.re(x) * state.re(x) + target.im(x) * state.im(x);
      sumIm += target.re(x) * state.im(x) - target.im(x) * state.re(x);
    }
    return Math.min(1.0, sumRe * sumRe + sumIm * sumIm);
  }
}
