package io.qmon.metrics.bench;

import io.qmon.metrics.state.Entanglement;
import io.qmon.metrics.state.StateScores;
import io.qmon.metrics.state.StateVector;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Cost of scoring one state snapshot, as the streaming job does per (run, epoch): a Haar-random
 * n-qubit state (complex Gaussian amplitudes, normalised; seeded) against a Haar-random target.
 *
 * <ul>
 *   <li>{@code fullScore}: {@link StateScores#score} with a target and no extra cut (half cut, n
 *       single-qubit cuts, Meyer–Wallach, fidelity);
 *   <li>{@code halfCut}: the half-cut entropy alone, the dominant term.
 * </ul>
 *
 * Sample-time mode, so JMH prints the median (p0.50) per snapshot next to the mean.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class StateScoresBenchmark {
  @Param({"4", "8", "12", "16"})
  public int qubits;

  private StateVector state;
  private StateVector target;
  private int[] half;

  @Setup
  public void setUp() {
    Random random = new Random(20261201L + qubits);
    state = haar(qubits, random);
    target = haar(qubits, random);
    half = new int[qubits / 2];
    for (int k = 0; k < half.length; k++) {
      half[k] = k;
    }
  }

  @Benchmark
  public Map<String, Double> fullScore() {
    return StateScores.score(state, target, List.of());
  }

  @Benchmark
  public double halfCut() {
    return Entanglement.vonNeumannBits(state, half);
  }

  static StateVector haar(int n, Random random) {
    double[] re = new double[1 << n];
    double[] im = new double[1 << n];
    double norm = 0;
    for (int x = 0; x < re.length; x++) {
      re[x] = random.nextGaussian();
      im[x] = random.nextGaussian();
      norm += re[x] * re[x] + im[x] * im[x];
    }
    double scale = 1 / Math.sqrt(norm);
    for (int x = 0; x < re.length; x++) {
      re[x] *= scale;
      im[x] *= scale;
    }
    return StateVector.of(re, im);
  }
}
