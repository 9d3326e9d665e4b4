package io.qmon.producers.sim;

import java.util.SplittableRandom;

/**
 * A generator: an initial state, a parameterised circuit and a noise model, simulated on one
 * reusable state vector.
 *
 * <p>This is what a trainer optimises and a worker samples each epoch: bind a parameter vector, run
 * the circuit, read exact probabilities or draw shots. Not thread-safe; give each thread its own
 * model (they are cheap apart from the 2^n state).
 */
public final class QuantumModel {
  private final InitialState initialState;
  private final Circuit circuit;
  private final NoiseModel noise;
  private final StateVector state;
  private final ShotSampler sampler = new ShotSampler();
  private final double[] scratch;

  public QuantumModel(InitialState initialState, Circuit circuit, NoiseModel noise) {
    if (initialState == null) {
      throw new IllegalArgumentException("initialState must not be null");
    }
    if (circuit == null) {
      throw new IllegalArgumentException("circuit must not be null");
    }
    if (noise == null) {
      throw new IllegalArgumentException("noise must not be null (use NoiseModel.NONE)");
    }
    if (initialState.qubits() != 0 && initialState.qubits() != circuit.qubits()) {
      throw new IllegalArgumentException(
          "initialState has " + initialState.qubits() + " qubits, circuit " + circuit.qubits());
    }
    noise.checkQubits(circuit.qubits());
    this.initialState = initialState;
    this.circuit = circuit;
    this.noise = noise;
    this.state = new StateVector(circuit.qubits());
    this.scratch = new double[state.size()];
  }

  /** A noiseless model. */
  public QuantumModel(InitialState initialState, Circuit circuit) {
    this(initialState, circuit, NoiseModel.NONE);
  }

  public int qubits() {
    return circuit.qubits();
  }

  public int numParameters() {
    return circuit.numParameters();
  }

  public Circuit circuit() {
    return circuit;
  }

  public InitialState initialState() {
    return initialState;
  }

  public NoiseModel noise() {
    return noise;
  }

  /** Exact (noiseless) Born probabilities of the circuit under {@code params}, into {@code out}. */
  public void exactProbabilities(double[] params, double[] out) {
    run(params, -1, 0.0);
    state.probabilities(out);
  }

  /** Exact (noiseless) Born probabilities in a new array. */
  public double[] exactProbabilities(double[] params) {
    double[] out = new double[state.size()];
    exactProbabilities(params, out);
    return out;
  }

  /**
   * Exact probabilities with operation {@code op}'s angle shifted by {@code shift}: one term of the
   * parameter-shift rule.
   */
  public void shiftedProbabilities(double[] params, int op, double shift, double[] out) {
    run(params, op, shift);
    state.probabilities(out);
  }

  /** Probabilities after the depolarising channel (readout error acts on samples only). */
  public double[] noisyProbabilities(double[] params) {
    double[] out = exactProbabilities(params);
    noise.depolarise(out);
    return out;
  }

  /** Binds {@code params}, simulates, and draws {@code shots} shots through the noise model. */
  public ShotCounts sample(double[] params, int shots, SplittableRandom rng) {
    exactProbabilities(params, scratch);
    noise.depolarise(scratch);
    return sampler.sample(scratch, shots, noise, rng);
  }

  private void run(double[] params, int shiftedOp, double shift) {
    initialState.prepare(state);
    circuit.apply(state, params, shiftedOp, shift);
  }
}
