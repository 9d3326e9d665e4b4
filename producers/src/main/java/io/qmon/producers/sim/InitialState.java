package io.qmon.producers.sim;

import io.qmon.metrics.Distribution;
import java.util.SplittableRandom;

/**
 * The state a generator circuit starts from, as in the qGAN literature (Zoufal et al., 2019):
 * |0…0⟩, the uniform superposition, a loaded normal distribution, or a random product state.
 */
public sealed interface InitialState {

  /** Prepares this state on {@code state}, overwriting what it held. */
  void prepare(StateVector state);

  /** Number of qubits this state is defined on, or 0 when it fits any qubit count. */
  int qubits();

  /** |0…0⟩. */
  static InitialState zero() {
    return new Zero();
  }

  /** The uniform superposition: a Hadamard on every qubit. */
  static InitialState uniform() {
    return new Uniform();
  }

  /**
   * Amplitudes √p(x) for a distribution over all 2^n outcomes: exact state preparation, written
   * straight into the amplitudes rather than synthesised as a circuit. This is how the qGAN paper's
   * "normal" initial state is loaded in simulation.
   */
  static InitialState amplitudesOf(Distribution distribution) {
    int n = distribution.qubits();
    if (n > StateVector.MAX_QUBITS) {
      throw new IllegalArgumentException(
          "distribution has " + n + " qubits, at most " + StateVector.MAX_QUBITS + " supported");
    }
    double[] amplitudes = new double[1 << n];
    for (int i = 0; i < distribution.support(); i++) {
      amplitudes[(int) distribution.outcome(i)] = Math.sqrt(distribution.probability(i));
    }
    double norm = 0;
    for (double a : amplitudes) {
      norm += a * a;
    }
    double scale = 1.0 / Math.sqrt(norm);
    for (int x = 0; x < amplitudes.length; x++) {
      amplitudes[x] *= scale;
    }
    return new Amplitudes(n, amplitudes);
  }

  /** A product state RY(α_q)|0⟩ on each qubit q, with the given angles. */
  static InitialState productRy(double[] angles) {
    if (angles.length < 1) {
      throw new IllegalArgumentException("angles must hold one angle per qubit, got none");
    }
    for (int q = 0; q < angles.length; q++) {
      if (!Double.isFinite(angles[q])) {
        throw new IllegalArgumentException("angles[" + q + "] must be finite, got " + angles[q]);
      }
    }
    return new ProductRy(angles.clone());
  }

  /** A seeded random product state: angles drawn uniformly from [0, π). */
  static InitialState random(int qubits, long seed) {
    if (qubits < 1 || qubits > StateVector.MAX_QUBITS) {
      throw new IllegalArgumentException(
          "qubits must be in [1, " + StateVector.MAX_QUBITS + "], got " + qubits);
    }
    SplittableRandom rng = new SplittableRandom(seed);
    double[] angles = new double[qubits];
    for (int q = 0; q < qubits; q++) {
      angles[q] = rng.nextDouble() * Math.PI;
    }
    return new ProductRy(angles);
  }

  /** |0…0⟩. */
  record Zero() implements InitialState {
    @Override
    public void prepare(StateVector state) {
      state.reset();
    }

    @Override
    public int qubits() {
      return 0;
    }
  }

  /** H on every qubit. */
  record Uniform() implements InitialState {
    @Override
    public void prepare(StateVector state) {
      state.reset();
      for (int q = 0; q < state.qubits(); q++) {
        state.h(q);
      }
    }

    @Override
    public int qubits() {
      return 0;
    }
  }

  /** Given real amplitudes, written directly (exact preparation). */
  record Amplitudes(int qubits, double[] amplitudes) implements InitialState {
    public Amplitudes {
      amplitudes = amplitudes.clone();
    }

    @Override
    public void prepare(StateVector state) {
      state.setRealAmplitudes(amplitudes);
    }

    @Override
    public double[] amplitudes() {
      return amplitudes.clone();
    }
  }

  /** RY(angles[q]) on each qubit q from |0…0⟩. */
  record ProductRy(double[] angles) implements InitialState {
    public ProductRy {
      angles = angles.clone();
    }

    @Override
    public void prepare(StateVector state) {
      if (state.qubits() != angles.length) {
        throw new IllegalArgumentException(
            "state has " + state.qubits() + " qubits, product state " + angles.length);
      }
      state.reset();
      for (int q = 0; q < angles.length; q++) {
        state.ry(q, angles[q]);
      }
    }

    @Override
    public int qubits() {
      return angles.length;
    }

    @Override
    public double[] angles() {
      return angles.clone();
    }
  }
}
