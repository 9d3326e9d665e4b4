package io.qmon.metrics.detect;

import java.io.Serializable;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.LongSupplier;

/**
 * Rolling z-score: compares each value with the mean and standard deviation of the last {@code
 * window} accepted values. Breaching values are kept out of the window, so a persistent jump keeps
 * firing instead of becoming the new normal.
 */
public final class RollingZScoreDetector extends BaseDetector<RollingZScoreDetector.State> {
  /** Per-key state: a ring buffer of recent values. */
  public static final class State implements Serializable {
    private static final long serialVersionUID = 1L;
    final Hysteresis.State alarm = new Hysteresis.State();
    double[] ring;
    int size;
    int next;
  }

  private final int window;
  private final int minSamples;
  private final double zLimit;
  private final double minStddev;
  private final Direction direction;

  /**
   * @param window number of recent values forming the baseline
   * @param minSamples values needed before any decision
   * @param zLimit fire when |z| exceeds it in the bad direction
   * @param minStddev floor on the baseline's standard deviation, so a constant metric does not
   *     produce infinite z
   */
  public RollingZScoreDetector(
      String metric,
      Direction direction,
      int window,
      int minSamples,
      double zLimit,
      double minStddev,
      int fireAfter,
      int resolveAfter,
      Severity severity,
      LongSupplier clock) {
    super(metric + "-zscore", metric, severity, fireAfter, resolveAfter, clock);
    if (window < 2 || minSamples < 2 || minSamples > window) {
      throw new IllegalArgumentException(
          "need 2 <= minSamples <= window, got minSamples=" + minSamples + ", window=" + window);
    }
    if (!(zLimit > 0) || !(minStddev > 0)) {
      throw new IllegalArgumentException("zLimit and minStddev must be > 0");
    }
    this.window = window;
    this.minSamples = minSamples;
    this.zLimit = zLimit;
    this.minStddev = minStddev;
    this.direction = direction;
  }

  /** Window 50, 20 samples, z > 4, fire after 2 epochs, resolve after 3, WARNING. */
  public static RollingZScoreDetector defaults(
      String metric, Direction direction, LongSupplier clock) {
    return new RollingZScoreDetector(
        metric, direction, 50, 20, 4.0, 1e-12, 2, 3, Severity.WARNING, clock);
  }

  @Override
  public Map<String, Number> parameters() {
    return named(
        "window",
        window,
        "min-samples",
        minSamples,
        "z",
        zLimit,
        "fire-after",
        fireAfter(),
        "resolve-after",
        resolveAfter());
  }

  @Override
  public State initialState() {
    State s = new State();
    s.ring = new double[window];
    return s;
  }

  @Override
  public Optional<AlertDecision> observe(State s, Observation o) {
    OptionalDouble v = o.value(metric());
    if (v.isEmpty()) {
      return Optional.empty();
    }
    double x = v.getAsDouble();
    if (s.size < minSamples) {
      push(s, x);
      return Optional.empty();
    }
    double mean = 0;
    for (int i = 0; i < s.size; i++) {
      mean += s.ring[i];
    }
    mean /= s.size;
    double ss = 0;
    for (int i = 0; i < s.size; i++) {
      ss += (s.ring[i] - mean) * (s.ring[i] - mean);
    }
    double sd = Math.max(minStddev, Math.sqrt(ss / (s.size - 1)));
    double z = (x - mean) / sd;
    boolean breach = direction.exceeds(z, zLimit);
    if (!breach) {
      push(s, x);
    }
    double baseline = mean;
    return decide(
        s.alarm,
        breach,
        !breach,
        o.epoch(),
        z,
        zLimit,
        () ->
            metric()
                + " = "
                + fmt(x)
                + " is z = "
                + fmt(z)
                + " from its recent mean "
                + fmt(baseline)
                + " ± "
                + fmt(sd)
                + " (limit "
                + fmt(zLimit)
                + ")");
  }

  private void push(State s, double x) {
    s.ring[s.next] = x;
    s.next = (s.next + 1) % window;
    s.size = Math.min(window, s.size + 1);
  }
}
