package io.qmon.bench.eval;

import io.qmon.producers.worker.ModelKind;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The labelled streams of a benchmark run, drawn from one seed: Born machines (SPSA) and qGANs
 * (Adam) on 3–8 qubits with 128–8192 shots, several learning rates, noiseless and noisy (λ = 0.02
 * depolarising, 1% readout flips), each healthy or with one fault from an epoch between 40% and 75%
 * of the run.
 */
final class StreamCases {
  static final int[] QUBITS = {3, 4, 5, 6, 8};
  static final int[] SHOTS = {128, 512, 2048, 8192};
  static final double[] SPSA_A = {Double.NaN, 1.0, 2.0};
  static final double[] ADAM_RATES = {0.03, 0.1};
  static final double[] DRIFT_STRENGTHS = {0.1, 0.25, 0.5};

  private StreamCases() {}

  static List<StreamCase> draw(EvalOptions o) {
    SplittableRandom rng = new SplittableRandom(o.seed());
    List<StreamCase> cases = new ArrayList<>();
    for (int i = 0; i < o.healthyRuns(); i++) {
      cases.add(draw(rng, cases.size(), o.epochs(), Fault.NONE, null, 0));
    }
    for (Fault f : Fault.values()) {
      if (f == Fault.NONE) {
        continue;
      }
      for (int i = 0; i < o.runsPerFault(); i++) {
        ModelKind model = f == Fault.QGAN_OSCILLATION ? ModelKind.QGAN : null;
        double strength = f == Fault.NOISE_DRIFT ? DRIFT_STRENGTHS[i % DRIFT_STRENGTHS.length] : 0;
        cases.add(draw(rng, cases.size(), o.epochs(), f, model, strength));
      }
    }
    return cases;
  }

  private static StreamCase draw(
      SplittableRandom rng, int index, int epochs, Fault fault, ModelKind forced, double strength) {
    ModelKind model =
        forced != null ? forced : rng.nextInt(5) < 3 ? ModelKind.BORN_MACHINE : ModelKind.QGAN;
    int qubits = QUBITS[rng.nextInt(QUBITS.length)];
    int shots = SHOTS[rng.nextInt(SHOTS.length)];
    double rate =
        model == ModelKind.QGAN
            ? ADAM_RATES[rng.nextInt(ADAM_RATES.length)]
            : SPSA_A[rng.nextInt(SPSA_A.length)];
    boolean noisy = rng.nextBoolean();
    int faultEpoch =
        fault == Fault.BARREN_PLATEAU
            ? 1
            : (int) Math.round(epochs * (0.40 + 0.35 * rng.nextDouble()));
    return new StreamCase(
        index,
        model,
        qubits,
        shots,
        rate,
        rng.nextLong(),
        noisy ? 0.02 : 0,
        noisy ? 0.01 : 0,
        epochs,
        fault,
        faultEpoch,
        strength);
  }
}
