package io.qmon.producers.sim;

import java.util.Arrays;

/**
 * An immutable list of gate operations on n qubits whose angles are either fixed or taken from a
 * parameter vector by index.
 *
 * <p>Binding new parameters is free: {@link #apply(StateVector, double[])} reads the angles as it
 * goes, so a training loop re-runs the same circuit with a new vector each step. Operations are
 * stored in parallel primitive arrays to keep the hot loop free of allocation and indirection.
 */
public final class Circuit {
  private final int qubits;
  private final int parameters;
  private final Gate[] gates;
  private final int[] qubit0;
  private final int[] qubit1;
  private final int[] parameterIndex;
  private final double[] angles;

  private Circuit(Builder b) {
    this.qubits = b.qubits;
    this.parameters = b.parameters;
    this.gates = Arrays.copyOf(b.gates, b.size);
    this.qubit0 = Arrays.copyOf(b.qubit0, b.size);
    this.qubit1 = Arrays.copyOf(b.qubit1, b.size);
    this.parameterIndex = Arrays.copyOf(b.parameterIndex, b.size);
    this.angles = Arrays.copyOf(b.angles, b.size);
  }

  /** A builder for a circuit on {@code qubits} qubits. */
  public static Builder builder(int qubits) {
    return new Builder(qubits);
  }

  public int qubits() {
    return qubits;
  }

  /** Length of the parameter vector the circuit binds: one more than the largest index used. */
  public int numParameters() {
    return parameters;
  }

  /** Number of operations. */
  public int size() {
    return gates.length;
  }

  public Gate gate(int op) {
    return gates[op];
  }

  /** First qubit of operation {@code op} (the control of a controlled gate). */
  public int qubit0(int op) {
    return qubit0[op];
  }

  /** Second qubit of a two-qubit operation (the target of a controlled gate), −1 otherwise. */
  public int qubit1(int op) {
    return qubit1[op];
  }

  /** Index into the parameter vector of operation {@code op}'s angle, or −1 when it is fixed. */
  public int parameterIndex(int op) {
    return parameterIndex[op];
  }

  /** The angle operation {@code op} uses under the given parameter vector (0 for non-rotations). */
  public double angle(int op, double[] params) {
    int p = parameterIndex[op];
    return p >= 0 ? params[p] : angles[op];
  }

  /** Applies every operation to {@code state} in order, binding angles from {@code params}. */
  public void apply(StateVector state, double[] params) {
    apply(state, params, -1, 0.0);
  }

  /**
   * Applies the circuit with the angle of one operation shifted by {@code shift}: what the
   * parameter-shift rule needs when a parameter is used by several operations.
   *
   * @param shiftedOp the operation to shift, or −1 for none
   */
  public void apply(StateVector state, double[] params, int shiftedOp, double shift) {
    if (state.qubits() != qubits) {
      throw new IllegalArgumentException(
          "state has " + state.qubits() + " qubits, circuit needs " + qubits);
    }
    checkParameters(params);
    for (int op = 0; op < gates.length; op++) {
      double angle = angle(op, params);
      if (op == shiftedOp) {
        angle += shift;
      }
      gates[op].apply(state, qubit0[op], qubit1[op], angle);
    }
  }

  /** Throws unless {@code params} has exactly {@link #numParameters()} entries. */
  public void checkParameters(double[] params) {
    if (params.length != parameters) {
      throw new IllegalArgumentException(
          "params must have " + parameters + " entries, got " + params.length);
    }
  }

  @Override
  public String toString() {
    return "Circuit{qubits="
        + qubits
        + ", operations="
        + gates.length
        + ", parameters="
        + parameters
        + "}";
  }

  /** Collects operations; each adder checks its qubits and returns the builder for chaining. */
  public static final class Builder {
    private final int qubits;
    private int parameters;
    private int size;
    private Gate[] gates = new Gate[16];
    private int[] qubit0 = new int[16];
    private int[] qubit1 = new int[16];
    private int[] parameterIndex = new int[16];
    private double[] angles = new double[16];

    private Builder(int qubits) {
      if (qubits < 1 || qubits > StateVector.MAX_QUBITS) {
        throw new IllegalArgumentException(
            "qubits must be in [1, " + StateVector.MAX_QUBITS + "], got " + qubits);
      }
      this.qubits = qubits;
    }

    public Builder h(int q) {
      return fixed(Gate.H, q, -1, 0.0);
    }

    public Builder x(int q) {
      return fixed(Gate.X, q, -1, 0.0);
    }

    public Builder y(int q) {
      return fixed(Gate.Y, q, -1, 0.0);
    }

    public Builder z(int q) {
      return fixed(Gate.Z, q, -1, 0.0);
    }

    public Builder s(int q) {
      return fixed(Gate.S, q, -1, 0.0);
    }

    public Builder t(int q) {
      return fixed(Gate.T, q, -1, 0.0);
    }

    public Builder rx(int q, double angle) {
      return fixed(Gate.RX, q, -1, angle);
    }

    public Builder ry(int q, double angle) {
      return fixed(Gate.RY, q, -1, angle);
    }

    public Builder rz(int q, double angle) {
      return fixed(Gate.RZ, q, -1, angle);
    }

    public Builder cx(int control, int target) {
      return fixed(Gate.CX, control, target, 0.0);
    }

    public Builder cz(int a, int b) {
      return fixed(Gate.CZ, a, b, 0.0);
    }

    public Builder swap(int a, int b) {
      return fixed(Gate.SWAP, a, b, 0.0);
    }

    public Builder cry(int control, int target, double angle) {
      return fixed(Gate.CRY, control, target, angle);
    }

    /** RX whose angle is {@code params[index]} at apply time. */
    public Builder rxParam(int q, int index) {
      return bound(Gate.RX, q, -1, index);
    }

    /** RY whose angle is {@code params[index]} at apply time. */
    public Builder ryParam(int q, int index) {
      return bound(Gate.RY, q, -1, index);
    }

    /** RZ whose angle is {@code params[index]} at apply time. */
    public Builder rzParam(int q, int index) {
      return bound(Gate.RZ, q, -1, index);
    }

    /** CRY whose angle is {@code params[index]} at apply time. */
    public Builder cryParam(int control, int target, int index) {
      return bound(Gate.CRY, control, target, index);
    }

    /**
     * Appends every operation of {@code other}, offsetting its parameter indices by the count so
     * far.
     */
    public Builder append(Circuit other) {
      if (other.qubits != qubits) {
        throw new IllegalArgumentException(
            "other has " + other.qubits + " qubits, this builder " + qubits);
      }
      int offset = parameters;
      for (int op = 0; op < other.size(); op++) {
        int p = other.parameterIndex[op];
        if (p >= 0) {
          bound(other.gates[op], other.qubit0[op], other.qubit1[op], offset + p);
        } else {
          fixed(other.gates[op], other.qubit0[op], other.qubit1[op], other.angles[op]);
        }
      }
      parameters = Math.max(parameters, offset + other.parameters);
      return this;
    }

    /** Number of parameters referenced so far. */
    public int numParameters() {
      return parameters;
    }

    public Circuit build() {
      return new Circuit(this);
    }

    private Builder fixed(Gate gate, int q0, int q1, double angle) {
      if (!Double.isFinite(angle)) {
        throw new IllegalArgumentException("angle of " + gate + " must be finite, got " + angle);
      }
      add(gate, q0, q1, -1, angle);
      return this;
    }

    private Builder bound(Gate gate, int q0, int q1, int index) {
      if (index < 0) {
        throw new IllegalArgumentException("parameter index must be >= 0, got " + index);
      }
      add(gate, q0, q1, index, 0.0);
      parameters = Math.max(parameters, index + 1);
      return this;
    }

    private void add(Gate gate, int q0, int q1, int index, double angle) {
      checkQubit(gate, "q0", q0);
      if (gate.arity() == 2) {
        checkQubit(gate, "q1", q1);
        if (q0 == q1) {
          throw new IllegalArgumentException(gate + " needs distinct qubits, got " + q0 + " twice");
        }
      } else {
        q1 = -1;
      }
      if (size == gates.length) {
        int n = size * 2;
        gates = Arrays.copyOf(gates, n);
        qubit0 = Arrays.copyOf(qubit0, n);
        qubit1 = Arrays.copyOf(qubit1, n);
        parameterIndex = Arrays.copyOf(parameterIndex, n);
        angles = Arrays.copyOf(angles, n);
      }
      gates[size] = gate;
      qubit0[size] = q0;
      qubit1[size] = q1;
      parameterIndex[size] = index;
      angles[size] = angle;
      size++;
    }

    private void checkQubit(Gate gate, String field, int q) {
      if (q < 0 || q >= qubits) {
        throw new IllegalArgumentException(
            gate + " " + field + " = " + q + " is outside [0, " + qubits + ")");
      }
    }
  }
}
