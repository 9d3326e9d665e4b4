package io.qmon.bench.eval;

import io.qmon.schemas.MetricRecord;
import java.util.List;

/**
 * A stream case and the epoch metric records the job's scorer made of it, in epoch order.
 *
 * @param driftOverFloor for a noise drift, how far the drift at full strength moves the model's
 *     output at the fault epoch, over one epoch's sampling noise of that output: JSD(p, (1−λ)p +
 *     λ/2^n) divided by the upper JSD shot-noise floor of an N-shot sample of p (the job's floor,
 *     same quantile); NaN for every other stream
 */
public record LabelledStream(StreamCase spec, List<MetricRecord> records, double driftOverFloor) {
  /** The group of noise drifts that move the output by more than one epoch's sampling noise. */
  static final String DRIFT_ABOVE_FLOOR = "drift>floor";

  public LabelledStream {
    records = List.copyOf(records);
  }

  /**
   * Whether the fault, at full strength, changes the output by more than one epoch's shots can tell
   * from sampling noise: the rule that a change smaller than sampling noise is not an
   * alert, applied to the labels. Only noise drifts are sized; every other fault counts as visible.
   */
  public boolean aboveShotNoise() {
    return Double.isNaN(driftOverFloor) || driftOverFloor > 1;
  }

  /** The fault groups this stream counts in: its own, and {@link #DRIFT_ABOVE_FLOOR} if so. */
  List<String> groups() {
    if (spec.fault() == Fault.NOISE_DRIFT && aboveShotNoise()) {
      return List.of(spec.group(), DRIFT_ABOVE_FLOOR);
    }
    return List.of(spec.group());
  }
}
