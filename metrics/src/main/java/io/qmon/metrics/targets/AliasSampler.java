package io.qmon.metrics.targets;

import io.qmon.metrics.Distribution;
import java.util.SplittableRandom;

/**
 * Draws outcomes of a sparse distribution in O(1) each with Vose's alias method.
 *
 * <p>Why: shot-noise floors are calibrated by simulating many N-shot samples of the target, so one
 * draw must not cost a search over the support.
 */
public final class AliasSampler {
  private final long[] outcomes;
  private final double[] keep;
  private final int[] alias;

  /** Builds the alias table in O(k) for the k outcomes of {@code distribution}. */
  public AliasSampler(Distribution distribution) {
    int k = distribution.support();
    outcomes = new long[k];
    keep = new double[k];
    alias = new int[k];
    double[] scaled = new double[k];
    int[] small = new int[k];
    int[] large = new int[k];
    int smallCount = 0;
    int largeCount = 0;
    for (int i = 0; i < k; i++) {
      outcomes[i] = distribution.outcome(i);
      scaled[i] = distribution.probability(i) * k;
      if (scaled[i] < 1.0) {
        small[smallCount++] = i;
      } else {
        large[largeCount++] = i;
      }
    }
    while (smallCount > 0 && largeCount > 0) {
      int s = small[--smallCount];
      int l = large[--largeCount];
      keep[s] = scaled[s];
      alias[s] = l;
      scaled[l] = (scaled[l] + scaled[s]) - 1.0;
      if (scaled[l] < 1.0) {
        small[smallCount++] = l;
      } else {
        large[largeCount++] = l;
      }
    }
    // Whatever is left holds probability one up to rounding.
    while (largeCount > 0) {
      keep[large[--largeCount]] = 1.0;
    }
    while (smallCount > 0) {
      keep[small[--smallCount]] = 1.0;
    }
  }

  /** One outcome drawn from the distribution. */
  public long sample(SplittableRandom random) {
    return outcomes[sampleIndex(random)];
  }

  /** The support index i of one drawn outcome, as in {@link Distribution#outcome(int)}. */
  public int sampleIndex(SplittableRandom random) {
    int column = random.nextInt(keep.length);
    return random.nextDouble() < keep[column] ? column : alias[column];
  }
}
