package io.qmon.metrics.bench;

import io.qmon.metrics.Distribution;
import io.qmon.metrics.KlSmoothing;
import io.qmon.metrics.MetricCalculator;
import io.qmon.metrics.MetricSet;
import io.qmon.metrics.TargetModel;
import io.qmon.metrics.ValueMapping;
import io.qmon.metrics.noise.ShotNoiseFloors;
import io.qmon.metrics.targets.DiscretisedTarget;
import io.qmon.metrics.targets.ExplicitTarget;
import java.util.SplittableRandom;
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
 * One full metric set per event (all divergences, entropy, coverage, KS, W1, floors from the
 * cache), as the streaming job computes it.
 *
 * <ul>
 *   <li>dense: a discretised normal target over all 2^n outcomes, scored against 10,000 shots of
 *       itself;
 *   <li>sparse: a 64-outcome target over n qubits, scored against 1,000 shots of itself.
 * </ul>
 *
 * Floors are computed once in setup (cached per target and shot count, as in the job).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class MetricSetBenchmark {
  @Param({"5", "10", "16", "20"})
  public int qubits;

  @Param({"sparse", "dense"})
  public String shape;

  private MetricCalculator calculator;
  private TargetModel target;
  private Distribution generated;
  private long shots;

  @Setup
  public void setUp() {
    SplittableRandom random = new SplittableRandom(17);
    if (shape.equals("dense")) {
      target = DiscretisedTarget.normal(qubits, 0, 1, -4, 4);
      shots = 10_000;
    } else {
      int k = Math.min(64, 1 << qubits);
      long[] outcomes = new long[k];
      double[] weights = new double[k];
      for (int i = 0; i < k; i++) {
        outcomes[i] = qubits <= 6 ? i : random.nextLong(1L << qubits);
        weights[i] = 1 + random.nextDouble();
      }
      target =
          ExplicitTarget.of(
              "sparse-" + qubits,
              Distribution.of(qubits, outcomes, weights),
              ValueMapping.linear(qubits, 0, 1));
      shots = 1_000;
    }
    long[] drawn = new long[(int) shots];
    long[] ones = new long[drawn.length];
    for (int s = 0; s < drawn.length; s++) {
      drawn[s] = target.sample(random);
      ones[s] = 1;
    }
    generated = Distribution.fromCounts(qubits, drawn, ones);
    KlSmoothing smoothing = KlSmoothing.laplace(0.5);
    calculator =
        MetricCalculator.builder()
            .smoothing(smoothing)
            .noiseFloors(new ShotNoiseFloors(smoothing, 200, 1L, 16))
            .build();
    calculator.compute(target, generated, shots);
  }

  @Benchmark
  public MetricSet fullMetricSet() {
    return calculator.compute(target, generated, shots);
  }
}
