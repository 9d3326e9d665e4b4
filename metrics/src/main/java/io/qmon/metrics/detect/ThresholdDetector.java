package io.qmon.metrics.detect;

import java.io.Serializable;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.LongSupplier;

/**
 * Static threshold: fires when the metric crosses {@code fireLevel} and resolves once it is back
 * beyond {@code resolveLevel}; the gap between the two levels is the hysteresis band.
 */
public final class ThresholdDetector extends BaseDetector<ThresholdDetector.State> {
  /** Per-key state. */
  public static final class State implements Serializable {
    private static final long serialVersionUID = 1L;
    final Hysteresis.State alarm = new Hysteresis.State();
  }

  private final Direction direction;
  private final double fireLevel;
  private final double resolveLevel;

  /**
   * @param direction UP fires above {@code fireLevel}, DOWN below it (BOTH is not meaningful here)
   * @param resolveLevel must not be beyond {@code fireLevel} in the bad direction
   */
  public ThresholdDetector(
      String metric,
      Direction direction,
      double fireLevel,
      double resolveLevel,
      int fireAfter,
      int resolveAfter,
      Severity severity,
      LongSupplier clock) {
    super(metric + "-threshold", metric, severity, fireAfter, resolveAfter, clock);
    if (direction == Direction.BOTH) {
      throw new IllegalArgumentException("direction must be UP or DOWN for a threshold");
    }
    if (direction == Direction.UP ? resolveLevel > fireLevel : resolveLevel < fireLevel) {
      throw new IllegalArgumentException(
          "resolveLevel " + resolveLevel + " lies beyond fireLevel " + fireLevel);
    }
    this.direction = direction;
    this.fireLevel = fireLevel;
    this.resolveLevel = resolveLevel;
  }

  @Override
  public Map<String, Number> parameters() {
    return named(
        "fire-level",
        fireLevel,
        "resolve-level",
        resolveLevel,
        "fire-after",
        fireAfter(),
        "resolve-after",
        resolveAfter());
  }

  @Override
  public State initialState() {
    return new State();
  }

  @Override
  public Optional<AlertDecision> observe(State state, Observation o) {
    OptionalDouble v = o.value(metric());
    if (v.isEmpty()) {
      return Optional.empty();
    }
    double x = v.getAsDouble();
    boolean up = direction == Direction.UP;
    boolean breach = up ? x > fireLevel : x < fireLevel;
    boolean clear = up ? x <= resolveLevel : x >= resolveLevel;
    return decide(
        state.alarm,
        breach,
        clear,
        o.epoch(),
        x,
        fireLevel,
        () ->
            metric()
                + " is "
                + fmt(x)
                + (up ? ", fire above " : ", fire below ")
                + fmt(fireLevel)
                + ", resolve at "
                + fmt(resolveLevel));
  }
}
