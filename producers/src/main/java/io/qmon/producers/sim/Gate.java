package io.qmon.producers.sim;

/**
 * The gates a {@link Circuit} can hold, with their arity and whether they take an angle.
 *
 * <p>Matrices follow Qiskit's definitions (RY(θ) = exp(−iθY/2) and so on), so circuits built here
 * produce the same probabilities as their Qiskit counterparts.
 */
public enum Gate {
  H(1, false),
  X(1, false),
  Y(1, false),
  Z(1, false),
  S(1, false),
  T(1, false),
  RX(1, true),
  RY(1, true),
  RZ(1, true),
  CX(2, false),
  CZ(2, false),
  SWAP(2, false),
  CRY(2, true);

  private final int arity;
  private final boolean rotation;

  Gate(int arity, boolean rotation) {
    this.arity = arity;
    this.rotation = rotation;
  }

  /** Number of qubits the gate acts on. */
  public int arity() {
    return arity;
  }

  /** Whether the gate takes an angle (fixed or bound from a parameter vector). */
  public boolean isRotation() {
    return rotation;
  }

  void apply(StateVector state, int q0, int q1, double angle) {
    switch (this) {
      case H -> state.h(q0);
      case X -> state.x(q0);
      case Y -> state.y(q0);
      case Z -> state.z(q0);
      case S -> state.s(q0);
      case T -> state.t(q0);
      case RX -> state.rx(q0, angle);
      case RY -> state.ry(q0, angle);
      case RZ -> state.rz(q0, angle);
      case CX -> state.cx(q0, q1);
      case CZ -> state.cz(q0, q1);
      case SWAP -> state.swap(q0, q1);
      case CRY -> state.cry(q0, q1, angle);
    }
  }
}
