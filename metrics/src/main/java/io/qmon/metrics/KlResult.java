package io.qmon.metrics;

import java.io.Serializable;

/**
 * KL(P‖Q) in bits, smoothed and raw, with the smoothing that produced it.
 *
 * <p>{@link #unsmoothedBits()} is {@code +∞} exactly when some outcome has q = 0 < p, and finite
 * otherwise; it is never NaN. {@link #bits()} is always finite.
 *
 * @param bits KL(P‖Q̃) with Q̃ the smoothed Q, in bits
 * @param smoothing the name of the smoothing, e.g. {@code laplace(alpha=1.0)}
 * @param unsmoothedBits KL(P‖Q) with the raw frequencies, {@code +∞} when q = 0 < p somewhere
 * @param unseenTargetMass the target mass on outcomes Q never produced
 */
public record KlResult(
    double bits, String smoothing, double unsmoothedBits, double unseenTargetMass)
    implements Serializable {

  /** True when Q produced every outcome the target can produce, so the raw KL is finite. */
  public boolean finiteUnsmoothed() {
    return unsmoothedBits != Double.POSITIVE_INFINITY;
  }
}
