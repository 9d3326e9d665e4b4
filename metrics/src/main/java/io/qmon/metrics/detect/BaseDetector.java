package io.qmon.metrics.detect;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/** Name, metric, severity, clock and hysteresis, and the step that turns streaks into decisions. */
abstract class BaseDetector<S extends Serializable> implements Detector<S> {
  private final String name;
  private final String metric;
  private final Severity severity;
  private final Hysteresis hysteresis;
  private final LongSupplier clock;

  BaseDetector(
      String name,
      String metric,
      Severity severity,
      int fireAfter,
      int resolveAfter,
      LongSupplier clock) {
    this.name = Objects.requireNonNull(name, "name");
    this.metric = Objects.requireNonNull(metric, "metric");
    this.severity = Objects.requireNonNull(severity, "severity");
    this.hysteresis = new Hysteresis(fireAfter, resolveAfter);
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String metric() {
    return metric;
  }

  int fireAfter() {
    return hysteresis.fireAfter();
  }

  int resolveAfter() {
    return hysteresis.resolveAfter();
  }

  /** Parameters from alternating names and values, in that order, unmodifiable. */
  static Map<String, Number> named(Object... namesAndValues) {
    Map<String, Number> out = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      out.put((String) namesAndValues[i], (Number) namesAndValues[i + 1]);
    }
    return Collections.unmodifiableMap(out);
  }

  /**
   * Advances the hysteresis and, on a transition, builds the decision. {@code why} describes the
   * current value against the threshold; it is only evaluated on transitions.
   */
  Optional<AlertDecision> decide(
      Hysteresis.State alarm,
      boolean breach,
      boolean clear,
      long epoch,
      double value,
      double threshold,
      Supplier<String> why) {
    return switch (hysteresis.step(alarm, breach, clear)) {
      case NONE -> Optional.empty();
      case FIRE ->
          Optional.of(
              new AlertDecision(
                  name,
                  metric,
                  AlertState.FIRING,
                  severity,
                  value,
                  threshold,
                  epoch,
                  clock.getAsLong(),
                  why.get() + streak(hysteresis.fireAfter())));
      case RESOLVE ->
          Optional.of(
              new AlertDecision(
                  name,
                  metric,
                  AlertState.RESOLVED,
                  severity,
                  value,
                  threshold,
                  epoch,
                  clock.getAsLong(),
                  "back to normal" + streak(hysteresis.resolveAfter()) + ": " + why.get()));
    };
  }

  private static String streak(int epochs) {
    return epochs == 1 ? "" : " (" + epochs + " epochs in a row)";
  }

  static String fmt(double x) {
    return String.format(Locale.ROOT, "%.4g", x);
  }
}
