package io.qmon.metrics.detect;

import io.qmon.metrics.stats.RunningStats;
import java.io.Serializable;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.LongSupplier;

/**
 * Two-sided tabular CUSUM (Page 1954) on standardised values u = (x − μ₀)/σ: S⁺ = max(0, S⁺ + u −
 * k), S⁻ = max(0, S⁻ − u − k); fires when either exceeds h. μ₀ and σ come from the first {@code
 * warmup} values and are then frozen. Sums are capped at 2h so that, once a shift ends, the alert
 * resolves within about h/k epochs instead of paying back an unbounded sum.
 */
public final class CusumDetector extends BaseDetector<CusumDetector.State> {
  /** Per-key state. */
  public static final class State implements Serializable {
    private static final long serialVersionUID = 1L;
    final Hysteresis.State alarm = new Hysteresis.State();
    final RunningStats baseline = new RunningStats();
    double high;
    double low;
  }

  private final double slack;
  private final double limit;
  private final int warmup;
  private final double minStddev;

  /**
   * @param slack k, the allowance in σ units (half the shift to detect)
   * @param limit h, the decision interval in σ units
   */
  public CusumDetector(
      String metric,
      double slack,
      double limit,
      int warmup,
      double minStddev,
      int resolveAfter,
      Severity severity,
      LongSupplier clock) {
    super(metric + "-cusum", metric, severity, 1, resolveAfter, clock);
    if (!(slack >= 0) || !(limit > 0) || warmup < 2 || !(minStddev > 0)) {
      throw new IllegalArgumentException(
          "need slack >= 0, limit > 0, warmup >= 2, minStddev > 0; got "
              + slack
              + ", "
              + limit
              + ", "
              + warmup);
    }
    this.slack = slack;
    this.limit = limit;
    this.warmup = warmup;
    this.minStddev = minStddev;
  }

  /** k = 0.5, h = 8, warmup 50, resolve after 3 epochs, WARNING. */
  public static CusumDetector defaults(String metric, LongSupplier clock) {
    return new CusumDetector(metric, 0.5, 8.0, 50, 1e-12, 3, Severity.WARNING, clock);
  }

  @Override
  public Map<String, Number> parameters() {
    return named(
        "slack",
        slack,
        "limit",
        limit,
        "warmup",
        warmup,
        "min-stddev",
        minStddev,
        "resolve-after",
        resolveAfter());
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
    if (s.baseline.count() < warmup) {
      s.baseline.add(x);
      return Optional.empty();
    }
    double mu = s.baseline.mean();
    double sigma = Math.max(minStddev, s.baseline.stddev());
    double u = (x - mu) / sigma;
    s.high = Math.min(2 * limit, Math.max(0, s.high + u - slack));
    s.low = Math.min(2 * limit, Math.max(0, s.low - u - slack));
    double stat = Math.max(s.high, s.low);
    boolean breach = stat > limit;
    String side = s.high >= s.low ? "upward" : "downward";
    return decide(
        s.alarm,
        breach,
        !breach,
        o.epoch(),
        stat,
        limit,
        () ->
            metric()
                + " = "
                + fmt(x)
                + " against baseline "
                + fmt(mu)
                + " ± "
                + fmt(sigma)
                + ": "
                + side
                + " CUSUM "
                + fmt(stat)
                + " σ (h = "
                + fmt(limit)
                + ", k = "
                + fmt(slack)
                + ")");
  }
}
