package io.qmon.bench.eval;

import io.qmon.metrics.MetricNames;
import io.qmon.schemas.MetricRecord;
import java.util.List;
import java.util.Map;

/**
 * A stream case and the epoch metric records the job's scorer made of it, in epoch order.
 *
 * @param driftOverFloor for a noise drift, how far the drift at full strength moves the model's
 *     output at the fault epoch, over one epoch's sampling noise of that output: JSD(p, (1−λ)p +
 *     λ/2^n) divided by the upper JSD shot-noise floor of an N-shot sample of p (the job's floor,
 *     same quantile); NaN for every other stream
 * @param exactJsd per epoch (index epoch − 1), the JSD to the target of the output the epoch's
 *     shots were drawn from, its exact probabilities after hardware noise and any injected fault;
 *     null when not known
 */
public record LabelledStream(
    StreamCase spec, List<MetricRecord> records, double driftOverFloor, double[] exactJsd) {
  /** The group of noise drifts that move the output by more than one epoch's sampling noise. */
  static final String DRIFT_ABOVE_FLOOR = "drift>floor";

  /** Epochs before an alarm whose best exact divergence it is compared with. */
  static final int RECENT_EPOCHS = 10;

  /** How much worse than its recent best a model's exact divergence must be to count as worse. */
  static final double WORSE_BY = 1.2;

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

  /**
   * Whether the model's exact output (its probabilities, no shot noise) at {@code epoch} is
   * materially worse than at its best of the previous {@value #RECENT_EPOCHS} epochs: its JSD to
   * the target at least {@value #WORSE_BY} × that best and above it by more than the epoch's JSD
   * sampling spread (upper floor minus its mean). The best, not a median: exact values carry no
   * sampling luck, and a run that was still improving has a median from before its progress. No
   * fault was injected there, but a qGAN at Adam rate 0.1 loses modes and diverges on its own, and
   * an alarm on that is no shot-noise artefact. False when the exact output is not known or at the
   * first epoch.
   */
  boolean exactOutputWorseAt(long epoch) {
    return exactOutputWorseAt(epoch, RECENT_EPOCHS);
  }

  /**
   * As {@link #exactOutputWorseAt(long)}, against the best of the previous {@code lookback} epochs
   * (all of them when {@code lookback} ≥ epoch − 1): the advice's {@code DIVERGING} and {@code
   * COLLAPSED} claim a run gave back progress since its best, however long ago.
   */
  boolean exactOutputWorseAt(long epoch, int lookback) {
    int i = (int) epoch - 1;
    if (exactJsd == null || i < 1 || i >= exactJsd.length) {
      return false;
    }
    double best = Double.POSITIVE_INFINITY;
    for (int j = Math.max(0, i - lookback); j < i; j++) {
      best = Math.min(best, exactJsd[j]);
    }
    Map<String, Double> floors = records.get(i).getNoiseFloors();
    double spread =
        floors.getOrDefault(MetricNames.JSD, Double.NaN)
            - floors.getOrDefault(MetricNames.JSD + "_expected", Double.NaN);
    double now = exactJsd[i];
    return now >= WORSE_BY * best && now - best > (Double.isNaN(spread) ? 0 : spread);
  }

  /** The fault groups this stream counts in: its own, and {@link #DRIFT_ABOVE_FLOOR} if so. */
  List<String> groups() {
    if (spec.fault() == Fault.NOISE_DRIFT && aboveShotNoise()) {
      return List.of(spec.group(), DRIFT_ABOVE_FLOOR);
    }
    return List.of(spec.group());
  }
}
