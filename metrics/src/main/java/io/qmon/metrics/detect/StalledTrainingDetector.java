package io.qmon.metrics.detect;

import java.io.Serializable;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.LongSupplier;

/**
 * Stalled training: the metric has not improved on its best value by at least {@code minDelta} for
 * {@code patience} epochs. A model already at its shot-noise floor has nothing left to gain, so no
 * alert is raised while the value is at or below the floor (when the observation carries one).
 * Resolves on the first improvement or on reaching the floor.
 */
public final class StalledTrainingDetector extends BaseDetector<StalledTrainingDetector.State> {
  /** Per-key state. */
  public static final class State implements Serializable {
    private static final long serialVersionUID = 1L;
    final Hysteresis.State alarm = new Hysteresis.State();
    double best = Double.NaN;
    long sinceBest;
  }

  private final int patience;
  private final double minDelta;
  private final boolean lowerIsBetter;

  /**
   * @param lowerIsBetter true for divergences, false for fidelity or coverage
   * @param patience epochs without improvement before firing; ≥ 1
   * @param minDelta the smallest change that counts as an improvement; ≥ 0
   * @param fireAfter consecutive stalled epochs above the floor before firing; one noisy epoch
   *     above the floor of a converged run is not a stall
   */
  public StalledTrainingDetector(
      String metric,
      boolean lowerIsBetter,
      int patience,
      double minDelta,
      int fireAfter,
      Severity severity,
      LongSupplier clock) {
    super(metric + "-stalled", metric, severity, fireAfter, 1, clock);
    if (patience < 1 || !(minDelta >= 0)) {
      throw new IllegalArgumentException(
          "need patience >= 1 and minDelta >= 0, got " + patience + ", " + minDelta);
    }
    this.patience = patience;
    this.minDelta = minDelta;
    this.lowerIsBetter = lowerIsBetter;
  }

  /** Patience 20 epochs, any improvement counts, fire after 3 stalled epochs, INFO. */
  public static StalledTrainingDetector defaults(
      String metric, boolean lowerIsBetter, LongSupplier clock) {
    return new StalledTrainingDetector(metric, lowerIsBetter, 20, 0.0, 3, Severity.INFO, clock);
  }

  @Override
  public Map<String, Number> parameters() {
    return named("patience", patience, "min-delta", minDelta, "fire-after", fireAfter());
  }

  @Override
  public State initialState() {
    return new State();
  }

  @Override
  public Optional<AlertDecision> observe(State s, Observation o) {
    OptionalDouble v = o.value(metric());
    if (v.isEmpty()) {
      return Optional.empty();
    }
    double x = v.getAsDouble();
    boolean improved =
        Double.isNaN(s.best) || (lowerIsBetter ? x < s.best - minDelta : x > s.best + minDelta);
    if (improved) {
      s.best = x;
      s.sinceBest = 0;
    } else {
      s.sinceBest++;
    }
    OptionalDouble floor = o.floor(metric());
    boolean atFloor = floor.isPresent() && lowerIsBetter && x <= floor.getAsDouble();
    boolean stalled = s.sinceBest >= patience && !atFloor;
    long since = s.sinceBest;
    double best = s.best;
    return decide(
        s.alarm,
        stalled,
        improved || atFloor,
        o.epoch(),
        x,
        best,
        () ->
            metric()
                + " = "
                + fmt(x)
                + "; best "
                + fmt(best)
                + ", "
                + since
                + " epochs without improving by "
                + fmt(minDelta)
                + " (patience "
                + patience
                + ")"
                + (floor.isPresent() ? ", shot-noise floor " + fmt(floor.getAsDouble()) : ""));
  }
}
