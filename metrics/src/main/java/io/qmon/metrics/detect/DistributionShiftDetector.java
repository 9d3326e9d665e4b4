package io.qmon.metrics.detect;

import io.qmon.metrics.MetricNames;
import java.io.Serializable;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.LongSupplier;

/**
 * The generated distribution moved against its own recent window by more than sampling noise and
 * more than the run usually moves: reads {@link MetricNames#WINDOW_SHIFT}, the normal score of the
 * G-test of the epoch's counts against the pooled counts of the run's previous epochs (about N(0,
 * 1) when nothing changed). Fires when the score passes both {@code minShift} (the shot-noise
 * scale: smaller changes are sampling noise) and the run's own pace, the median of its last {@code
 * window} accepted scores plus {@code width} times their robust spread (1.4826·MAD, never below 1,
 * the statistic's own noise): a training run moves its distribution every epoch, and only a move
 * well beyond its usual step is news. Unlike divergence detectors it does not need the move to be
 * away from the target, so a drift towards uniform that lowers the JSD to a broad target is seen.
 * Breaching scores stay out of the window; it resolves after {@code resolveAfter} epochs back
 * within the limit.
 */
public final class DistributionShiftDetector extends BaseDetector<DistributionShiftDetector.State> {
  /** Per-key state: the recent accepted scores. */
  public static final class State implements Serializable {
    private static final long serialVersionUID = 1L;
    final Hysteresis.State alarm = new Hysteresis.State();
    RunPace recent;
  }

  private final int window;
  private final int minSamples;
  private final double width;
  private final double minShift;

  /**
   * @param window accepted scores forming the run's pace
   * @param minSamples scores needed before any decision
   * @param width how many robust spreads above the median pace a score must lie
   * @param minShift the least score that may fire, in standard deviations of sampling noise
   */
  public DistributionShiftDetector(
      int window,
      int minSamples,
      double width,
      double minShift,
      int fireAfter,
      int resolveAfter,
      Severity severity,
      LongSupplier clock) {
    this(
        "distribution-shift",
        MetricNames.WINDOW_SHIFT,
        window,
        minSamples,
        width,
        minShift,
        fireAfter,
        resolveAfter,
        severity,
        clock);
  }

  /**
   * The same test over another shift score, e.g. {@link MetricNames#WINDOW_SHIFT_UNIFORM} as {@code
   * uniform-drift}.
   */
  public DistributionShiftDetector(
      String name,
      String metric,
      int window,
      int minSamples,
      double width,
      double minShift,
      int fireAfter,
      int resolveAfter,
      Severity severity,
      LongSupplier clock) {
    super(name, metric, severity, fireAfter, resolveAfter, clock);
    if (window < 3 || minSamples < 3 || minSamples > window) {
      throw new IllegalArgumentException(
          "need 3 <= minSamples <= window, got minSamples=" + minSamples + ", window=" + window);
    }
    if (!(width > 0) || !(minShift > 0)) {
      throw new IllegalArgumentException(
          "need width > 0 and minShift > 0, got " + width + ", " + minShift);
    }
    this.window = window;
    this.minSamples = minSamples;
    this.width = width;
    this.minShift = minShift;
  }

  /**
   * Window 30, 30 samples (a fresh generator reshapes itself for its first epochs), width 5, at
   * least 4 σ of shot noise, fire on the first such epoch, resolve after 3, WARNING: chosen with
   * {@code qmon eval-detectors}.
   */
  public static DistributionShiftDetector defaults(LongSupplier clock) {
    return new DistributionShiftDetector(30, 30, 5, 4, 1, 3, Severity.WARNING, clock);
  }

  /**
   * {@code uniform-drift} over {@link MetricNames#WINDOW_SHIFT_UNIFORM}: as {@link #defaults} but
   * firing on the second such epoch in a row (one rare outcome at few shots can spike the score).
   */
  public static DistributionShiftDetector uniformDriftDefaults(LongSupplier clock) {
    return new DistributionShiftDetector(
        "uniform-drift",
        MetricNames.WINDOW_SHIFT_UNIFORM,
        30,
        30,
        5,
        4,
        2,
        3,
        Severity.WARNING,
        clock);
  }

  @Override
  public Map<String, Number> parameters() {
    return named(
        "window",
        window,
        "min-samples",
        minSamples,
        "width",
        width,
        "min-shift",
        minShift,
        "fire-after",
        fireAfter(),
        "resolve-after",
        resolveAfter());
  }

  @Override
  public State initialState() {
    State s = new State();
    s.recent = new RunPace(window);
    return s;
  }

  @Override
  public Optional<AlertDecision> observe(State s, Observation o) {
    OptionalDouble v = o.value(metric());
    if (v.isEmpty() || Double.isNaN(v.getAsDouble())) {
      return Optional.empty();
    }
    double x = v.getAsDouble();
    if (s.recent.size() < minSamples) {
      s.recent.add(x);
      return Optional.empty();
    }
    double pace = s.recent.pace();
    double spread = s.recent.spread(pace);
    double limit = Math.max(minShift, pace + width * spread);
    boolean breach = x > limit;
    if (!breach) {
      s.recent.add(x);
    }
    return decide(
        s.alarm,
        breach,
        !breach,
        o.epoch(),
        x,
        limit,
        () ->
            "the generated counts moved "
                + fmt(x)
                + " σ of shot noise from the run's recent epochs (G-test; the run's usual move "
                + fmt(pace)
                + " ± "
                + fmt(spread)
                + ", limit "
                + fmt(limit)
                + ")");
  }
}
