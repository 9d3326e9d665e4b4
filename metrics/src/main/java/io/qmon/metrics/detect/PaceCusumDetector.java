package io.qmon.metrics.detect;

import io.qmon.metrics.MetricNames;
import java.io.Serializable;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.LongSupplier;

/**
 * A one-sided CUSUM over a shift score in standard deviations of shot noise (e.g. {@link
 * MetricNames#WINDOW_SHIFT_UNIFORM}), measured against the run's own pace: each score x is
 * standardised as u = (x − median) / max(1, 1.4826·MAD) over the run's last {@code window} accepted
 * scores (a training run moves its distribution every epoch, and at many shots that move alone is
 * many σ of shot noise), then S = max(0, S + min(u, cap) − slack). An epoch adds to S only when its
 * raw score also passes {@code minShift}: a change smaller than sampling noise is no evidence,
 * however calm the run was; and, given a share metric (e.g. {@link
 * MetricNames#WINDOW_SHIFT_UNIFORM_SHARE}), only when that share reaches {@code minShare}: a
 * training step that moved the output in many directions at once, one of which flattens it, is no
 * evidence of noise either (at thousands of shots such steps come in waves as large as a drift of λ
 * 0.25); and, given a target metric (e.g. {@link MetricNames#WINDOW_SHIFT_TARGET}), only when the
 * move towards the run's target scores below {@code targetRatio} times the raw score: a run
 * learning a broad target flattens its output too, but its move scores higher towards the target
 * than towards uniform, where noise mixing scores higher towards uniform. Fires when S passes
 * {@code limit}, so a drift that is too small to alert on in any one epoch (a noise ramp) alerts
 * after a few epochs; scores with u ≥ slack stay out of the pace window. S is held at most one
 * epoch's {@code cap} above the limit, so once the drift stops growing it falls back within a few
 * epochs; the alert resolves after {@code resolveAfter} epochs with S at or below the limit.
 */
public final class PaceCusumDetector extends BaseDetector<PaceCusumDetector.State> {
  /** Per-key state: the run's pace and the CUSUM. */
  public static final class State implements Serializable {
    private static final long serialVersionUID = 1L;
    final Hysteresis.State alarm = new Hysteresis.State();
    RunPace recent;
    double sum;
  }

  private final int window;
  private final int minSamples;
  private final double slack;
  private final double cap;
  private final double limit;
  private final double minShift;
  private final String shareMetric;
  private final double minShare;
  private final String targetMetric;
  private final double targetRatio;

  /**
   * @param window accepted scores forming the run's pace, ≥ 3
   * @param minSamples scores needed before any decision, in [3, window]
   * @param slack per-epoch allowance in robust spreads, ≥ 0
   * @param cap the most one epoch adds, > slack
   * @param limit the CUSUM above which the epoch breaches, > 0
   * @param minShift the least raw score that adds to the CUSUM, in σ of shot noise
   */
  public PaceCusumDetector(
      String name,
      String metric,
      int window,
      int minSamples,
      double slack,
      double cap,
      double limit,
      double minShift,
      int resolveAfter,
      Severity severity,
      LongSupplier clock) {
    this(
        name,
        metric,
        window,
        minSamples,
        slack,
        cap,
        limit,
        minShift,
        null,
        0,
        null,
        0,
        resolveAfter,
        severity,
        clock);
  }

  /**
   * As above; an epoch adds to the CUSUM only when its {@code shareMetric} value (in [0, 1]) is at
   * least {@code minShare}; an epoch without that value adds as if it were below. A {@code
   * minShare} of 0 sets no condition.
   *
   * @param shareMetric the share of the move the score explains, or null for no such condition
   * @param minShare the least share that adds, in [0, 1]
   * @param targetMetric the score of the move towards the run's target, or null for no such
   *     condition
   * @param targetRatio an epoch whose positive {@code targetMetric} value is at least this times
   *     its raw score adds nothing; 0 sets no condition
   */
  public PaceCusumDetector(
      String name,
      String metric,
      int window,
      int minSamples,
      double slack,
      double cap,
      double limit,
      double minShift,
      String shareMetric,
      double minShare,
      String targetMetric,
      double targetRatio,
      int resolveAfter,
      Severity severity,
      LongSupplier clock) {
    super(name, metric, severity, 1, resolveAfter, clock);
    if (!(minShare >= 0 && minShare <= 1)) {
      throw new IllegalArgumentException("need 0 <= minShare <= 1, got " + minShare);
    }
    if (!(targetRatio >= 0) || Double.isInfinite(targetRatio)) {
      throw new IllegalArgumentException("need a finite targetRatio >= 0, got " + targetRatio);
    }
    if (window < 3 || minSamples < 3 || minSamples > window) {
      throw new IllegalArgumentException(
          "need 3 <= minSamples <= window, got minSamples=" + minSamples + ", window=" + window);
    }
    if (!(slack >= 0) || !(cap > slack) || !(limit > 0) || Double.isNaN(minShift)) {
      throw new IllegalArgumentException(
          "need slack >= 0, cap > slack, limit > 0 and a minShift, got "
              + slack
              + ", "
              + cap
              + ", "
              + limit
              + ", "
              + minShift);
    }
    this.window = window;
    this.minSamples = minSamples;
    this.slack = slack;
    this.cap = cap;
    this.limit = limit;
    this.minShift = minShift;
    this.shareMetric = shareMetric;
    this.minShare = minShare;
    this.targetMetric = targetMetric;
    this.targetRatio = targetRatio;
  }

  /**
   * {@code uniform-cusum} over {@link MetricNames#WINDOW_SHIFT_UNIFORM}: pace window 30 (and 30
   * samples before deciding, as {@code distribution-shift}), slack 1.0, cap 8, limit 12, min-shift
   * 3 σ, min-share 0.3 of {@link MetricNames#WINDOW_SHIFT_UNIFORM_SHARE}, target ratio 1 of {@link
   * MetricNames#WINDOW_SHIFT_TARGET}, resolve after 3, WARNING: chosen with {@code qmon
   * eval-detectors}. Without the target condition slack 1.0 alerted on a healthy 4-qubit run of
   * {@code qmon demo} while it learned its broad target (as limit 10 and min-shift 2.5 did); with
   * it, that run stays silent and the drift caught rises at the false-alarm rate of slack 1.5.
   */
  public static PaceCusumDetector uniformCusumDefaults(LongSupplier clock) {
    return new PaceCusumDetector(
        "uniform-cusum",
        MetricNames.WINDOW_SHIFT_UNIFORM,
        30,
        30,
        1.0,
        8.0,
        12.0,
        3.0,
        MetricNames.WINDOW_SHIFT_UNIFORM_SHARE,
        0.3,
        MetricNames.WINDOW_SHIFT_TARGET,
        1.0,
        3,
        Severity.WARNING,
        clock);
  }

  /** The metric whose value gates each epoch's contribution; null when none does. */
  public String shareMetric() {
    return shareMetric;
  }

  /** The metric of the move towards the run's target that vetoes an epoch; null when none does. */
  public String targetMetric() {
    return targetMetric;
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
        "cap",
        cap,
        "limit",
        limit,
        "min-shift",
        minShift,
        "min-share",
        minShare,
        "target-ratio",
        targetRatio,
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
    double u = (x - pace) / spread;
    double step =
        x > minShift && explained(o) && !towardsTarget(o, x) ? Math.min(u, cap) - slack : -slack;
    s.sum = Math.min(limit + cap, Math.max(0, s.sum + step));
    if (u < slack) {
      s.recent.add(x);
    }
    boolean breach = s.sum > limit;
    double sum = s.sum;
    return decide(
        s.alarm,
        breach,
        !breach,
        o.epoch(),
        sum,
        limit,
        () ->
            metric()
                + " "
                + fmt(x)
                + " σ of shot noise (the run's usual "
                + fmt(pace)
                + " ± "
                + fmt(spread)
                + "); evidence accumulated over the last epochs "
                + fmt(sum)
                + ", limit "
                + fmt(limit));
  }

  private boolean towardsTarget(Observation o, double x) {
    if (targetMetric == null || targetRatio == 0) {
      return false;
    }
    OptionalDouble target = o.value(targetMetric);
    return target.isPresent()
        && target.getAsDouble() > 0
        && target.getAsDouble() >= targetRatio * x;
  }

  private boolean explained(Observation o) {
    if (shareMetric == null || minShare == 0) {
      return true;
    }
    OptionalDouble share = o.value(shareMetric);
    return share.isPresent() && share.getAsDouble() >= minShare;
  }
}
