package io.qmon.jobs.score;

import io.qmon.schemas.Histogram;
import io.qmon.schemas.LongArrayList;
import io.qmon.schemas.ShotCounts;
import io.qmon.schemas.TargetDistribution;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The generated counts of one epoch beside the target's probabilities, over the union of both
 * supports with outcomes ascending: what MLflow draws as the distribution's evolution and the run's
 * final histogram. At most {@code maxOutcomes} outcomes: beyond that the outcomes with the largest
 * mass (target probability or generated frequency, whichever is larger) are kept. No Flink here.
 */
public final class Histograms {
  private Histograms() {}

  /**
   * @param shots the epoch's counts (outcomes in any order; a repeated outcome is summed)
   * @param target the run's target (outcomes in any order)
   * @param maxOutcomes the most outcomes the histogram holds, at least 1
   */
  public static Histogram of(ShotCounts shots, TargetDistribution target, int maxOutcomes) {
    long[] genOutcomes = LongArrayList.toArray(shots.getOutcomes());
    long[] genCounts = LongArrayList.toArray(shots.getCounts());
    long[] targetOutcomes = LongArrayList.toArray(target.getOutcomes());
    List<Double> probabilities = target.getProbabilities();
    int[] g = order(genOutcomes);
    int[] t = order(targetOutcomes);
    int capacity = genOutcomes.length + targetOutcomes.length;
    long[] outcomes = new long[capacity];
    long[] counts = new long[capacity];
    double[] mass = new double[capacity];
    int n = 0;
    int i = 0;
    int j = 0;
    while (i < g.length || j < t.length) {
      long next =
          j >= t.length
              ? genOutcomes[g[i]]
              : i >= g.length
                  ? targetOutcomes[t[j]]
                  : Math.min(genOutcomes[g[i]], targetOutcomes[t[j]]);
      long count = 0;
      while (i < g.length && genOutcomes[g[i]] == next) {
        count += genCounts[g[i++]];
      }
      double p = 0;
      while (j < t.length && targetOutcomes[t[j]] == next) {
        p += probabilities.get(t[j++]);
      }
      outcomes[n] = next;
      counts[n] = count;
      mass[n] = p;
      n++;
    }
    int[] kept = keepLargest(n, outcomes, counts, mass, shots.getShots(), maxOutcomes);
    List<Long> keptOutcomes = new ArrayList<>(kept.length);
    List<Long> keptCounts = new ArrayList<>(kept.length);
    List<Double> keptTarget = new ArrayList<>(kept.length);
    for (int k : kept) {
      keptOutcomes.add(outcomes[k]);
      keptCounts.add(counts[k]);
      keptTarget.add(mass[k]);
    }
    return new Histogram(
        shots.getEpoch(),
        shots.getShots(),
        keptOutcomes,
        keptCounts,
        keptTarget,
        target.getLow(),
        target.getHigh());
  }

  /** Indices of the first {@code n} entries to keep, ascending by outcome. */
  private static int[] keepLargest(
      int n, long[] outcomes, long[] counts, double[] target, long shots, int maxOutcomes) {
    if (n <= maxOutcomes) {
      int[] all = new int[n];
      for (int k = 0; k < n; k++) {
        all[k] = k;
      }
      return all;
    }
    double total = Math.max(1, shots);
    Integer[] byMass = new Integer[n];
    for (int k = 0; k < n; k++) {
      byMass[k] = k;
    }
    Arrays.sort(
        byMass,
        Comparator.comparingDouble((Integer k) -> Math.max(target[k], counts[k] / total))
            .reversed()
            .thenComparingLong(k -> outcomes[k]));
    int[] kept = new int[maxOutcomes];
    for (int k = 0; k < maxOutcomes; k++) {
      kept[k] = byMass[k];
    }
    // Entries are in outcome order already, so sorting indices sorts outcomes.
    Arrays.sort(kept);
    return kept;
  }

  /** Indices of {@code values} in ascending order of value. */
  private static int[] order(long[] values) {
    boolean sorted = true;
    for (int k = 1; k < values.length && sorted; k++) {
      sorted = values[k - 1] <= values[k];
    }
    int[] index = new int[values.length];
    for (int k = 0; k < index.length; k++) {
      index[k] = k;
    }
    if (sorted) {
      return index;
    }
    Integer[] boxed = new Integer[values.length];
    for (int k = 0; k < boxed.length; k++) {
      boxed[k] = k;
    }
    Arrays.sort(boxed, Comparator.comparingLong(k -> values[k]));
    for (int k = 0; k < index.length; k++) {
      index[k] = boxed[k];
    }
    return index;
  }
}
