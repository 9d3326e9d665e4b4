package io.qmon.metrics.detect;

import io.qmon.metrics.Distribution;
import io.qmon.metrics.MetricCalculator;
import io.qmon.metrics.TargetModel;
import io.qmon.metrics.targets.DiscretisedTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntFunction;

/**
 * Epochs of a simulated run: each epoch measures {@link #SHOTS} shots of a generator distribution
 * and scores them against a bimodal 4-qubit target with the real metric calculator.
 */
final class SyntheticRun {
  static final int SHOTS = 1000;
  static final TargetModel TARGET = DiscretisedTarget.bimodal(4, -1.5, 1.5, 0.6, -3, 3);
  private static final MetricCalculator CALCULATOR = MetricCalculator.withDefaults();

  private SyntheticRun() {}

  /** A perfect generator: the target itself. */
  static Distribution healthy() {
    return TARGET.explicit().orElseThrow();
  }

  /** The generator dropped the left mode: only outcomes 8..15, renormalised. */
  static Distribution collapsed() {
    Distribution p = healthy();
    double[] w = new double[16];
    for (int x = 8; x < 16; x++) {
      w[x] = p.probabilityOf(x);
    }
    return Distribution.dense(4, w);
  }

  /** The generator drifted: 75% target, 25% uniform. */
  static Distribution drifted() {
    Distribution p = healthy();
    double[] w = new double[16];
    for (int x = 0; x < 16; x++) {
      w[x] = 0.75 * p.probabilityOf(x) + 0.25 / 16;
    }
    return Distribution.dense(4, w);
  }

  /** Observations of epochs 0..epochs−1, the generator of each chosen by {@code generator}. */
  static List<Observation> run(int epochs, long seed, IntFunction<Distribution> generator) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Observation> out = new ArrayList<>();
    for (int epoch = 0; epoch < epochs; epoch++) {
      Distribution g = generator.apply(epoch);
      double[] cdf = new double[g.support()];
      double sum = 0;
      for (int i = 0; i < cdf.length; i++) {
        sum += g.probability(i);
        cdf[i] = sum;
      }
      long[] counts = new long[cdf.length];
      for (int s = 0; s < SHOTS; s++) {
        double u = random.nextDouble() * sum;
        int i = 0;
        while (i < cdf.length - 1 && cdf[i] <= u) {
          i++;
        }
        counts[i]++;
      }
      long[] outcomes = new long[cdf.length];
      for (int i = 0; i < cdf.length; i++) {
        outcomes[i] = g.outcome(i);
      }
      out.add(Observation.of(epoch, CALCULATOR.compute(TARGET, outcomes, counts)));
    }
    return out;
  }
}
