package io.qmon.metrics.bench;

import io.qmon.metrics.state.Entanglement;
import io.qmon.metrics.state.StateScores;
import io.qmon.metrics.state.StateVector;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The per-snapshot cost of scoring a Haar-random state, as {@link StateScoresBenchmark} measures it
 * (the full {@link StateScores#score} with a target, and the half cut alone), reported as medians
 * of wall-clock and of thread CPU time per snapshot. The CPU-time median is the figure to quote on
 * a shared machine: under load JMH's wall-clock samples include the time the thread waited for a
 * core.
 *
 * <p>Run (after {@code mvn -pl metrics test-compile}): {@code java -cp
 * metrics/target/test-classes:metrics/target/classes:<ejml jars>
 * io.qmon.metrics.bench.StateScoresTiming [repetitions] [qubits...]}; see metrics/README.md.
 */
public final class StateScoresTiming {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private StateScoresTiming() {}

  public static void main(String[] args) {
    int repetitions = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    int[] sizes =
        args.length > 1
            ? Arrays.stream(args, 1, args.length).mapToInt(Integer::parseInt).toArray()
            : new int[] {4, 8, 12, 16};
    System.out.printf(
        "%6s %14s %14s %14s %14s %5s%n",
        "qubits", "full wall ms", "full cpu ms", "half wall ms", "half cpu ms", "reps");
    for (int n : sizes) {
      Random random = new Random(20261201L + n);
      StateVector state = StateBenchmarkStates.haar(n, random);
      StateVector target = StateBenchmarkStates.haar(n, random);
      int[] half = new int[n / 2];
      for (int k = 0; k < half.length; k++) {
        half[k] = k;
      }
      Runnable full = () -> sink(StateScores.score(state, target, List.of()).size());
      Runnable halfCut = () -> sink(Entanglement.vonNeumannBits(state, half));
      double[][] f = time(full, repetitions);
      double[][] h = time(halfCut, repetitions);
      System.out.printf(
          "%6d %14.4f %14.4f %14.4f %14.4f %5d%n",
          n, median(f[0]), median(f[1]), median(h[0]), median(h[1]), repetitions);
    }
  }

  /** Warm-up (at least 2 s and 20 calls, to let the JIT compile), then timed repetitions. */
  private static double[][] time(Runnable task, int repetitions) {
    long warmUntil = System.nanoTime() + 2_000_000_000L;
    for (int i = 0; i < 20 || System.nanoTime() < warmUntil; i++) {
      task.run();
    }
    double[] wall = new double[repetitions];
    double[] cpu = new double[repetitions];
    for (int r = 0; r < repetitions; r++) {
      // Many calls per repetition for the fast sizes, so each repetition lasts ≥ ~20 ms.
      int calls = 1;
      long c0 = THREADS.getCurrentThreadCpuTime();
      long w0 = System.nanoTime();
      task.run();
      long single = System.nanoTime() - w0;
      if (single < 20_000_000L) {
        calls = (int) Math.min(100_000, 20_000_000L / Math.max(1, single));
        c0 = THREADS.getCurrentThreadCpuTime();
        w0 = System.nanoTime();
        for (int i = 0; i < calls; i++) {
          task.run();
        }
      }
      wall[r] = (System.nanoTime() - w0) / 1e6 / calls;
      cpu[r] = (THREADS.getCurrentThreadCpuTime() - c0) / 1e6 / calls;
    }
    return new double[][] {wall, cpu};
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int m = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[m] : 0.5 * (sorted[m - 1] + sorted[m]);
  }

  private static volatile double blackhole;

  private static void sink(double value) {
    blackhole += value;
  }
}
