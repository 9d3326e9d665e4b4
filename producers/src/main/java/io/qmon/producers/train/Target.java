package io.qmon.producers.train;

import io.qmon.metrics.Distribution;
import io.qmon.metrics.targets.DiscretisedTarget;

/**
 * A distribution to learn over the 2^n outcomes of n qubits, with the real value each outcome
 * stands for: x ↦ low + (high−low)/(2^n−1)·x.
 */
public interface Target {
  String name();

  int qubits();

  double low();

  double high();

  /** The normalised target distribution over all 2^n outcomes. */
  Distribution distribution();

  /** The real value outcome x stands for. */
  default double valueOf(long outcome) {
    long last = (1L << qubits()) - 1;
    return low() + (high() - low()) * outcome / last;
  }

  /** The target probabilities as a dense array over all 2^n outcomes. */
  default double[] dense() {
    Distribution d = distribution();
    double[] out = new double[1 << qubits()];
    for (int i = 0; i < d.support(); i++) {
      out[(int) d.outcome(i)] = d.probability(i);
    }
    return out;
  }

  /** A parametric target from the metrics module (normal, log-normal, bimodal, uniform). */
  static Target of(DiscretisedTarget target) {
    if (target == null) {
      throw new IllegalArgumentException("target must not be null");
    }
    Distribution distribution = target.distribution();
    return new Fixed(target.name(), target.qubits(), target.low(), target.high(), distribution);
  }

  /**
   * The default normal target used by the demos: mean 0, standard deviation 1, on [−3, 3], which
   * keeps 99.7% of the mass on the grid.
   */
  static Target standardNormal(int qubits) {
    return of(DiscretisedTarget.normal(qubits, 0.0, 1.0, -3.0, 3.0));
  }

  /** A target with a precomputed distribution. */
  record Fixed(String name, int qubits, double low, double high, Distribution distribution)
      implements Target {
    public Fixed {
      if (distribution.qubits() != qubits) {
        throw new IllegalArgumentException(
            "distribution has " + distribution.qubits() + " qubits, target " + qubits);
      }
      if (!(high > low)) {
        throw new IllegalArgumentException("domain [" + low + ", " + high + "] is empty");
      }
    }
  }
}
