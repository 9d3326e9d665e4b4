package io.qmon.metrics.bench;

import io.qmon.metrics.state.StateVector;
import java.util.Random;

/** Haar-random states for the state benchmarks: complex Gaussian amplitudes, normalised. */
final class StateBenchmarkStates {
  private StateBenchmarkStates() {}

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
