package io.qmon.metrics.advice;

import java.io.Serializable;

/**
 * The rules' parameters. Every comparison is against the shot-noise floor of the epoch (its 99%
 * quantile), so a change smaller than sampling noise never counts as progress or as divergence.
 *
 * @param smoothingEpochs k: the run's level is the median of its last k values; converged when that
 *     median is at or below the floor (at least half of the last k epochs within the floor)
 * @param plateauEpochs W: flat when the level fell by less than one floor over the last W epochs
 * @param divergeEpochs d: diverging when each of the last d values exceeds twice the best level
 *     plus two floors
 * @param collapseEpochs c: collapsed when each of the last c coverages is at most {@code
 *     collapseFraction} of the best median coverage
 * @param collapseFraction the share of the best coverage below which modes count as lost
 */
public record AdviceSettings(
    int smoothingEpochs,
    int plateauEpochs,
    int divergeEpochs,
    int collapseEpochs,
    double collapseFraction)
    implements Serializable {
  /** k = 10, W = 20, d = 3, c = 3, fraction 0.5. */
  public static final AdviceSettings DEFAULTS = new AdviceSettings(10, 20, 3, 3, 0.5);

  public AdviceSettings {
    if (smoothingEpochs < 1 || plateauEpochs < 1 || divergeEpochs < 1 || collapseEpochs < 1) {
      throw new IllegalArgumentException(
          "advice epochs must be >= 1, got smoothing "
              + smoothingEpochs
              + ", plateau "
              + plateauEpochs
              + ", diverge "
              + divergeEpochs
              + ", collapse "
              + collapseEpochs);
    }
    if (!(collapseFraction > 0 && collapseFraction < 1)) {
      throw new IllegalArgumentException(
          "collapseFraction must be in (0, 1), got " + collapseFraction);
    }
  }
}
