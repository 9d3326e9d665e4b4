package io.qmon.sink.prometheus;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.DoubleSupplier;

/**
 * Registers a sink's own health series whose values are read from its live stats at scrape time, so
 * the sinks keep plain counters on their hot path and Prometheus asks only when it scrapes.
 */
public final class CallbackSeries {
  private CallbackSeries() {}

  /** A counter read from {@code value} (which must never decrease) at each scrape. */
  public static void counter(
      PrometheusRegistry registry, String name, String help, DoubleSupplier value) {
    CounterWithCallback.builder()
        .name(name)
        .help(help)
        .callback(cb -> cb.call(value.getAsDouble()))
        .register(registry);
  }

  /** A gauge read from {@code value} at each scrape. */
  public static void gauge(
      PrometheusRegistry registry, String name, String help, DoubleSupplier value) {
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .callback(cb -> cb.call(value.getAsDouble()))
        .register(registry);
  }
}
