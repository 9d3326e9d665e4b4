package io.qmon.metrics.detect;

import java.io.Serializable;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.LongSupplier;

/**
 * A drop in shots, seen through the shot-noise floor of a divergence: for a fixed target the floor
 * depends only on the number of shots (it scales about as 1/shots), so a floor {@code ratio} times
 * its last healthy value means the backend returned that many times fewer shots. Fires on the first
 * such epoch; resolves when the floor is back within 10% of the healthy value. Runs whose shots do
 * not change never see a different floor, so it cannot raise a false alarm on them.
 */
public final class ShotsDropDetector extends BaseDetector<ShotsDropDetector.State> {
  /** Per-key state: the floor of the last epoch that was not a drop. */
  public static final class State implements Serializable {
    private static final long serialVersionUID = 1L;
    final Hysteresis.State alarm = new Hysteresis.State();
    double healthyFloor = Double.NaN;
  }

  private final double ratio;

  /**
   * @param metric a divergence with a floor, e.g. {@code jsd}
   * @param ratio fire when the floor exceeds ratio × its healthy value; > 1
   */
  public ShotsDropDetector(
      String metric, double ratio, int resolveAfter, Severity severity, LongSupplier clock) {
    super("shots-drop", metric, severity, 1, resolveAfter, clock);
    if (!(ratio > 1)) {
      throw new IllegalArgumentException("ratio must be > 1, got " + ratio);
    }
    this.ratio = ratio;
  }

  /** On the JSD floor: ratio 1.5, resolve after 2 epochs, WARNING. */
  public static ShotsDropDetector defaults(String metric, LongSupplier clock) {
    return new ShotsDropDetector(metric, 1.5, 2, Severity.WARNING, clock);
  }

  @Override
  public Map<String, Number> parameters() {
    return named("ratio", ratio, "resolve-after", resolveAfter());
  }

  @Override
  public State initialState() {
    return new State();
  }

  @Override
  public Optional<AlertDecision> observe(State s, Observation o) {
    OptionalDouble f = o.floor(metric());
    if (f.isEmpty()) {
      return Optional.empty();
    }
    double floor = f.getAsDouble();
    if (Double.isNaN(s.healthyFloor)) {
      s.healthyFloor = floor;
      return Optional.empty();
    }
    double healthy = s.healthyFloor;
    boolean dropped = floor > ratio * healthy;
    boolean back = floor <= 1.1 * healthy;
    if (!dropped && !s.alarm.firing) {
      s.healthyFloor = floor;
    }
    return decide(
        s.alarm,
        dropped,
        back,
        o.epoch(),
        floor / healthy,
        ratio,
        () ->
            "the "
                + metric()
                + " shot-noise floor is "
                + fmt(floor)
                + ", "
                + fmt(floor / healthy)
                + "× its earlier "
                + fmt(healthy)
                + (dropped ? ": the run is getting fewer shots per epoch" : ""));
  }
}
