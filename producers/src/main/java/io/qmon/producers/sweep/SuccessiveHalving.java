package io.qmon.producers.sweep;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The successive-halving rule of {@code qmon sweep --halving}: every configuration trains to the
 * first rung; at each rung the configurations are ranked by their level (the median of their last k
 * JSD values as the monitoring job scored them), and the best ⌈m/η⌉ go on to the next rung, η times
 * as many epochs; the last rung is the sweep's {@code epochs}. Rungs: r₀ = max(k, g, ⌈E/η^s⌉) with
 * s = ⌊log_η n⌋ halvings for n configurations and g the grace period, then r₀·η, r₀·η², … capped at
 * E. A grace period (Ray Tune's ASHA {@code grace_period}, Optuna's {@code min_resource}) spends
 * more epochs before the first cut so that slow starters are not cut on their first epochs; with
 * fewer rungs than halvings the last rung ranks more than one finalist.
 *
 * @param eta η ≥ 2: the share 1/η of the configurations that goes on at each rung
 * @param levelEpochs k: a level is the median JSD of a run's last k scored epochs (the advice
 *     stage's smoothing), so no rung comes before epoch k
 * @param maxEpochs E: the sweep's epochs per run
 * @param gracePeriod g: no configuration is cut before epoch g (at most E)
 */
public record SuccessiveHalving(int eta, int levelEpochs, int maxEpochs, int gracePeriod) {
  /** No grace period beyond the level's k epochs. */
  public SuccessiveHalving(int eta, int levelEpochs, int maxEpochs) {
    this(eta, levelEpochs, maxEpochs, levelEpochs);
  }

  public SuccessiveHalving {
    if (gracePeriod < 1 || gracePeriod > maxEpochs) {
      throw new IllegalArgumentException(
          "need 1 <= gracePeriod <= maxEpochs, got " + gracePeriod + ", " + maxEpochs);
    }
    if (eta < 2) {
      throw new IllegalArgumentException("eta must be >= 2, got " + eta);
    }
    if (levelEpochs < 1 || maxEpochs < levelEpochs) {
      throw new IllegalArgumentException(
          "need 1 <= levelEpochs <= maxEpochs, got " + levelEpochs + ", " + maxEpochs);
    }
  }

  /** The epochs at which configurations are ranked; the last is {@code maxEpochs}. */
  public List<Integer> rungs(int configurations) {
    int halvings = 0;
    for (long m = configurations; m >= eta; m /= eta) {
      halvings++;
    }
    long first =
        Math.max(
            Math.max(levelEpochs, gracePeriod), ceilDiv(maxEpochs, (long) Math.pow(eta, halvings)));
    List<Integer> rungs = new ArrayList<>();
    for (long r = first; r < maxEpochs; r *= eta) {
      rungs.add((int) r);
    }
    rungs.add(maxEpochs);
    return rungs;
  }

  /** How many of {@code m} ranked configurations go on: ⌈m/η⌉. */
  public int survivors(int m) {
    return (int) ceilDiv(m, eta);
  }

  /** The survivors of one rung: the ⌈m/η⌉ lowest levels (ties: the earlier in the list). */
  public <T> List<T> keep(List<T> candidates, Comparator<T> byLevel) {
    return candidates.stream().sorted(byLevel).limit(survivors(candidates.size())).toList();
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }
}
