package io.qmon.metrics.detect;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.LongSupplier;

/**
 * A one-sided CUSUM over the residual of a training curve against its own recent level: made for
 * curves that should fall or stay flat (a divergence, an entropy heading for uniform), where a rise
 * is the fault. The level is the median of the last {@code window} accepted values, the scale the
 * robust spread of their epoch-to-epoch changes (1.4826·MAD/√2), never below the metric's
 * shot-noise scale: for a divergence with a floor, the gap between its upper and expected floors;
 * otherwise {@code minScale}. Each epoch adds {@code (x − level)/scale − slack} to a sum kept at or
 * above 0; the alert fires when the sum passes {@code limit} and the rise itself is larger than
 * sampling noise ({@code x − level} above the shot-noise gap). Values seen while the sum is
 * positive stay out of the window, so the level does not follow the fault; it resolves when the sum
 * is back at 0 for {@code resolveAfter} epochs.
 */
public final class TrendCusumDetector extends BaseDetector<TrendCusumDetector.State> {
  /** Per-key state: recent accepted values and the running sum. */
  public static final class State implements Serializable {
    private static final long serialVersionUID = 1L;
    final Hysteresis.State alarm = new Hysteresis.State();
    double[] ring;
    int size;
    int next;
    double sum;
  }

  private final int window;
  private final int minSamples;
  private final double slack;
  private final double limit;
  private final double minScale;
  private final double minRelativeRise;

  /**
   * @param name the detector's name in alerts
   * @param metric the watched metric; its floor (upper and {@code _expected}) sets the noise scale
   *     when it has one
   * @param window accepted values forming the level and scale
   * @param minSamples values needed before any decision
   * @param slack allowance per epoch in scale units (CUSUM k)
   * @param limit decision interval in scale units (CUSUM h)
   * @param minScale the scale when the metric has no floor and its recent changes are smaller
   * @param minRelativeRise the least rise, as a fraction of the level, that may fire: slow drifts
   *     of a few percent are how qGANs breathe, not faults
   */
  public TrendCusumDetector(
      String name,
      String metric,
      int window,
      int minSamples,
      double slack,
      double limit,
      double minScale,
      double minRelativeRise,
      int resolveAfter,
      Severity severity,
      LongSupplier clock) {
    super(name, metric, severity, 1, resolveAfter, clock);
    if (window < 3 || minSamples < 3 || minSamples > window) {
      throw new IllegalArgumentException(
          "need 3 <= minSamples <= window, got minSamples=" + minSamples + ", window=" + window);
    }
    if (!(minRelativeRise >= 0)) {
      throw new IllegalArgumentException("minRelativeRise must be >= 0, got " + minRelativeRise);
    }
    if (!(slack >= 0) || !(limit > 0) || !(minScale > 0)) {
      throw new IllegalArgumentException(
          "need slack >= 0, limit > 0, minScale > 0, got "
              + slack
              + ", "
              + limit
              + ", "
              + minScale);
    }
    this.window = window;
    this.minSamples = minSamples;
    this.slack = slack;
    this.limit = limit;
    this.minScale = minScale;
    this.minRelativeRise = minRelativeRise;
  }

  /**
   * Named {@code <metric>-trend}: window 20, 10 samples, slack 0.5, limit 8, scale at least 1e-3, a
   * rise of at least 25% of the level, resolve after 3 epochs, WARNING.
   */
  public static TrendCusumDetector defaults(String metric, LongSupplier clock) {
    return new TrendCusumDetector(
        metric + "-trend", metric, 20, 10, 0.5, 8.0, 1e-3, 0.25, 3, Severity.WARNING, clock);
  }

  @Override
  public Map<String, Number> parameters() {
    return named(
        "window",
        window,
        "min-samples",
        minSamples,
        "slack",
        slack,
        "limit",
        limit,
        "min-scale",
        minScale,
        "min-relative-rise",
        minRelativeRise,
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
    double[] recent = ordered(s);
    double level = median(recent.clone());
    double noise = shotNoiseGap(o);
    double scale = Math.max(Math.max(minScale, noise), spread(recent));
    s.sum = Math.max(0, s.sum + (x - level) / scale - slack);
    // Twice the shot-noise gap: the gap is a quantile spread at the floor, and a model away from
    // its target fluctuates more than one at it.
    boolean breach = s.sum > limit && x - level > Math.max(2 * noise, minRelativeRise * level);
    // Back within noise of the level it left: a healed fault resolves without waiting for a large
    // sum to drain.
    boolean clear = x - level <= Math.max(noise, 3 * scale);
    if (s.sum == 0) {
      push(s, x);
    }
    double sum = s.sum;
    Optional<AlertDecision> decision =
        decide(
            s.alarm,
            breach,
            clear,
            o.epoch(),
            sum,
            limit,
            () ->
                metric()
                    + " = "
                    + fmt(x)
                    + " against its recent level "
                    + fmt(level)
                    + " (scale "
                    + fmt(scale)
                    + ", shot noise "
                    + fmt(noise)
                    + "): cumulative rise "
                    + fmt(sum)
                    + " (limit "
                    + fmt(limit)
                    + ")");
    if (decision.isPresent() && decision.get().state() == AlertState.RESOLVED) {
      s.sum = 0;
    }
    return decision;
  }

  /** Upper minus expected floor: how far sampling alone moves the metric; 0 without a floor. */
  private double shotNoiseGap(Observation o) {
    OptionalDouble upper = o.floor(metric());
    OptionalDouble expected = o.floor(metric() + "_expected");
    if (upper.isEmpty() || expected.isEmpty()) {
      return 0;
    }
    return Math.max(0, upper.getAsDouble() - expected.getAsDouble());
  }

  /** 1.4826·MAD of the epoch-to-epoch changes, /√2: the per-epoch noise of a smooth curve. */
  private static double spread(double[] recent) {
    double[] diffs = new double[recent.length - 1];
    for (int i = 1; i < recent.length; i++) {
      diffs[i - 1] = recent[i] - recent[i - 1];
    }
    double m = median(diffs.clone());
    for (int i = 0; i < diffs.length; i++) {
      diffs[i] = Math.abs(diffs[i] - m);
    }
    return 1.4826 * median(diffs) / Math.sqrt(2);
  }

  private double[] ordered(State s) {
    double[] out = new double[s.size];
    int start = s.size < window ? 0 : s.next;
    for (int i = 0; i < s.size; i++) {
      out[i] = s.ring[(start + i) % window];
    }
    return out;
  }

  private static double median(double[] x) {
    Arrays.sort(x);
    int n = x.length;
    return n % 2 == 1 ? x[n / 2] : 0.5 * (x[n / 2 - 1] + x[n / 2]);
  }

  private void push(State s, double x) {
    s.ring[s.next] = x;
    s.next = (s.next + 1) % window;
    s.size = Math.min(window, s.size + 1);
  }
}
