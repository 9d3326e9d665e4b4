package io.qmon.metrics.detect;

import java.io.Serializable;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.LongSupplier;

/**
 * Divergence above its shot-noise floor: fires when a divergence exceeds {@code factor} times the
 * upper floor (e.g. the 99% quantile of the divergence of a perfect model) — the model, not the
 * sampling, differs from the target. Resolves when it is back at or below the floor.
 */
public final class NoiseFloorDetector extends BaseDetector<NoiseFloorDetector.State> {
  /** Per-key state. */
  public static final class State implements Serializable {
    private static final long serialVersionUID = 1L;
    final Hysteresis.State alarm = new Hysteresis.State();
  }

  private final double factor;

  /**
   * @param metric a divergence with a floor, e.g. {@code jsd}
   * @param factor fire above factor·floor; ≥ 1
   */
  public NoiseFloorDetector(
      String metric,
      double factor,
      int fireAfter,
      int resolveAfter,
      Severity severity,
      LongSupplier clock) {
    super(metric + "-above-noise-floor", metric, severity, fireAfter, resolveAfter, clock);
    if (!(factor >= 1)) {
      throw new IllegalArgumentException("factor must be >= 1, got " + factor);
    }
    this.factor = factor;
  }

  /** factor 1, fire after 2 epochs, resolve after 2, WARNING. */
  public static NoiseFloorDetector defaults(String metric, LongSupplier clock) {
    return new NoiseFloorDetector(metric, 1.0, 2, 2, Severity.WARNING, clock);
  }

  @Override
  public Map<String, Number> parameters() {
    return named("factor", factor, "fire-after", fireAfter(), "resolve-after", resolveAfter());
  }

  @Override
  public State initialState() {
    return new State();
  }

  @Override
  public Optional<AlertDecision> observe(State state, Observation o) {
    OptionalDouble v = o.value(metric());
    OptionalDouble f = o.floor(metric());
    if (v.isEmpty() || f.isEmpty()) {
      return Optional.empty();
    }
    double x = v.getAsDouble();
    double floor = f.getAsDouble();
    double limit = factor * floor;
    return decide(
        state.alarm,
        x > limit,
        x <= floor,
        o.epoch(),
        x,
        limit,
        () ->
            metric()
                + " is "
                + fmt(x)
                + " against a shot-noise floor of "
                + fmt(floor)
                + (x > limit ? ": more than sampling noise explains" : ""));
  }
}
