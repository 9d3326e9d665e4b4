package io.qmon.metrics.advice;

import java.io.Serializable;

/**
 * The rules' parameters. Every comparison is against the shot-noise floor of the epoch (its 99%
 * quantile), so a change smaller than sampling noise never counts as progress or as divergence.
 *
 * @param smoothingEpochs k: the run's level is the median of its last k values; converged when that
 *     median is at or below the floor (at least half of the last k epochs within the floor)
 * @param plateauEpochs W: flat when the best level fell by less than the floor's sampling spread
 *     (99% floor − its mean) over the last W epochs
 * @param divergeEpochs d: diverging when each of the last d values exceeds twice the best level
 *     plus two floors' sampling spreads, both counted above the floor's mean (see {@link
 *     TrainingProgress})
 * @param collapseEpochs c: collapsed when each of the last c coverages is at most {@code
 *     collapseFraction} of the best median coverage
 * @param collapseFraction the share of the best coverage below which modes count as lost
 * @param barrenProgress ρ: a flat run is a barren plateau when it never got this share of the way
 *     from its first level down to the floor (nor beyond sampling noise)
 * @param divergeLoss γ: diverging also needs each of the last d values to have given back this
 *     share of the progress from the first level to the best
 */
public record AdviceSettings(
    int smoothingEpochs,
    int plateauEpochs,
    int divergeEpochs,
    int collapseEpochs,
    double collapseFraction,
    double barrenProgress,
    double divergeLoss)
    implements Serializable {
  /**
   * k = 10, W = 20, d = 3, c = 3, fraction 0.75, ρ = 0.1, γ = 0.2: the rules for a run trained on
   * its divergence (a Born machine, a VQC). Such a run does not shed a quarter of its modes while
   * it learns, and the eval's injected collapses of Born machines mostly keep more than half of
   * them.
   */
  public static final AdviceSettings DEFAULTS = new AdviceSettings(10, 20, 3, 3, 0.75, 0.1, 0.2);

  /**
   * As {@link #DEFAULTS} with W = 40 and fraction 0.5: the rules for a qGAN. Its generator learns
   * only through a discriminator that keeps moving, so its progress comes in bursts with long flat
   * stretches between them, and its coverage swings by whole modes from epoch to epoch.
   */
  public static final AdviceSettings QGAN_DEFAULTS =
      new AdviceSettings(10, 40, 3, 3, 0.5, 0.1, 0.2);

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
    if (!(barrenProgress > 0 && barrenProgress < 1)) {
      throw new IllegalArgumentException("barrenProgress must be in (0, 1), got " + barrenProgress);
    }
    if (!(divergeLoss > 0 && divergeLoss < 1)) {
      throw new IllegalArgumentException("divergeLoss must be in (0, 1), got " + divergeLoss);
    }
  }
}
