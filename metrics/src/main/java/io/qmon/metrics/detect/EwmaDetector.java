package io.qmon.metrics.detect;

import io.qmon.metrics.stats.RunningStats;
import java.io.Serializable;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.LongSupplier;

/**
 * EWMA control chart (Roberts 1959): z_t = λx_t + (1−λ)z_{t−1}, in control while z_t stays within
 * μ₀ ± Lσ√(λ/(2−λ)·(1−(1−λ)^{2t})). μ₀ and σ are estimated from the first {@code warmup} values
 * (phase I) and then frozen (phase II), so the chart assumes those epochs are healthy. Small λ
 * catches small persistent shifts; L sets the false-alarm rate.
 */
public final class EwmaDetector extends BaseDetector<EwmaDetector.State> {
  /** Per-key state. */
  public static final class State implements Serializable {
    private static final long serialVersionUID = 1L;
    final Hysteresis.State alarm = new Hysteresis.State();
    final RunningStats baseline = new RunningStats();
    double ewma;
    long steps;
  }

  private final Direction direction;
  private final double lambda;
  private final double width;
  private final int warmup;
  private final double minStddev;

  /**
   * @param lambda smoothing weight in (0, 1]
   * @param width L, the half-width of the control band in asymptotic EWMA standard deviations
   * @param warmup values used to estimate μ₀ and σ; at least 2
   * @param minStddev floor on σ so a constant baseline does not make the band empty
   */
  public EwmaDetector(
      String metric,
      Direction direction,
      double lambda,
      double width,
      int warmup,
      double minStddev,
      int fireAfter,
      int resolveAfter,
      Severity severity,
      LongSupplier clock) {
    super(metric + "-ewma", metric, severity, fireAfter, resolveAfter, clock);
    if (!(lambda > 0 && lambda <= 1)) {
      throw new IllegalArgumentException("lambda must be in (0, 1], got " + lambda);
    }
    if (!(width > 0) || warmup < 2 || !(minStddev > 0)) {
      throw new IllegalArgumentException(
          "need width > 0, warmup >= 2 and minStddev > 0; got " + width + ", " + warmup);
    }
    this.direction = direction;
    this.lambda = lambda;
    this.width = width;
    this.warmup = warmup;
    this.minStddev = minStddev;
  }

  /** λ = 0.2, L = 3.5, warmup 50, fire after 2 epochs, resolve after 3, WARNING. */
  public static EwmaDetector defaults(String metric, Direction direction, LongSupplier clock) {
    return new EwmaDetector(metric, direction, 0.2, 3.5, 50, 1e-12, 2, 3, Severity.WARNING, clock);
  }

  @Override
  public Map<String, Number> parameters() {
    return named(
        "lambda",
        lambda,
        "width",
        width,
        "warmup",
        warmup,
        "min-stddev",
        minStddev,
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
  public Optional<AlertDecision> observe(State s, Observation o) {
    OptionalDouble v = o.value(metric());
    if (v.isEmpty()) {
      return Optional.empty();
    }
    double x = v.getAsDouble();
    if (s.baseline.count() < warmup) {
      s.baseline.add(x);
      s.ewma = s.baseline.mean();
      return Optional.empty();
    }
    s.steps++;
    s.ewma = lambda * x + (1 - lambda) * s.ewma;
    double mu = s.baseline.mean();
    double sigma = Math.max(minStddev, s.baseline.stddev());
    double decay = Math.pow(1 - lambda, 2.0 * s.steps);
    double limit = width * sigma * Math.sqrt(lambda / (2 - lambda) * (1 - decay));
    double deviation = s.ewma - mu;
    boolean breach = direction.exceeds(deviation, limit);
    double ewma = s.ewma;
    return decide(
        s.alarm,
        breach,
        !breach,
        o.epoch(),
        ewma,
        direction == Direction.DOWN ? mu - limit : mu + limit,
        () ->
            metric()
                + " EWMA "
                + fmt(ewma)
                + " (last value "
                + fmt(x)
                + ") against baseline "
                + fmt(mu)
                + " ± "
                + fmt(limit)
                + " (λ="
                + lambda
                + ", L="
                + width
                + ")");
  }
}
