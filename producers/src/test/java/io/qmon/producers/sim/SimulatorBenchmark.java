package io.qmon.producers.sim;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Prints simulated epochs per second on one thread (one core) for RealAmplitudes (reps 3, reverse
 * linear entanglement) at 5, 10 and 16 qubits: one epoch binds fresh parameters, simulates the
 * circuit from |0…0⟩ and draws 1024 shots. Not a test: speed is reported, never asserted.
 *
 * <p>Run: {@code mvn -B -q -pl producers -am test-compile} then {@code java -cp
 * producers/target/test-classes:producers/target/classes:metrics/target/classes
 * io.qmon.producers.sim.SimulatorBenchmark [seconds-per-size]}.
 */
public final class SimulatorBenchmark {
  private static final int[] QUBITS = {5, 10, 16};
  private static final int REPS = 3;
  private static final int SHOTS = 1024;

  private SimulatorBenchmark() {}

  public static void main(String[] args) {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3.0;
    System.out.printf(
        Locale.ROOT,
        "RealAmplitudes reps=%d, %d shots, 1 thread, %.1f s per size%n",
        REPS,
        SHOTS,
        seconds);
    for (int n : QUBITS) {
      QuantumModel model =
          new QuantumModel(
              InitialState.zero(), Ansatze.realAmplitudes(n, REPS, Entanglement.REVERSE_LINEAR));
      SplittableRandom rng = new SplittableRandom(n);
      double[] params = new double[model.numParameters()];
      long checksum = 0;
      // warm-up lets the JIT compile the gate loops before timing
      checksum += epochs(model, params, rng, (long) (seconds * 0.3e9));
      long start = System.nanoTime();
      long done = epochs(model, params, rng, (long) (seconds * 1e9));
      double elapsed = (System.nanoTime() - start) / 1e9;
      checksum += done;
      System.out.printf(
          Locale.ROOT,
          "qubits=%2d  epochs/s/core=%10.1f  (%d epochs in %.2f s, checksum %d)%n",
          n,
          done / elapsed,
          done,
          elapsed,
          checksum);
    }
  }

  private static long epochs(
      QuantumModel model, double[] params, SplittableRandom rng, long budgetNanos) {
    long deadline = System.nanoTime() + budgetNanos;
    long count = 0;
    long sink = 0;
    while (System.nanoTime() < deadline) {
      for (int i = 0; i < params.length; i++) {
        params[i] = (2 * rng.nextDouble() - 1) * Math.PI;
      }
      ShotCounts counts = model.sample(params, SHOTS, rng);
      sink += counts.support();
      count++;
    }
    return sink > 0 ? count : -1;
  }
}
