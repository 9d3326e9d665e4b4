package io.qmon.sink.alerts;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.DoubleSupplier;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The alert notifier's own health as Prometheus series, read from its {@link NotifierStats} at
 * scrape time (alert on {@value #FAILED} rising and {@value #RUNNING} = 0).
 */
public final class NotifierMetrics {
  public static final String DELIVERED = "qmon_notifier_delivered_total";
  public static final String FAILED = "qmon_notifier_failed_total";
  public static final String RETRIES = "qmon_notifier_retries_total";
  public static final String RESENT = "qmon_notifier_alertmanager_resent_total";
  public static final String FIRING = "qmon_notifier_alertmanager_firing";
  public static final String RUNNING = "qmon_notifier_running";

  private NotifierMetrics() {}

  /** Registers the notifier's series in the registry (the exporter's, when both sinks run). */
  public static void register(AlertNotifier notifier, PrometheusRegistry registry) {
    NotifierStats stats = notifier.stats();
    counter(registry, DELIVERED, "Notifications a route delivered.", stats::delivered);
    counter(
        registry,
        FAILED,
        "Notifications a route gave up on after its attempts (logged with the alert).",
        stats::failed);
    counter(registry, RETRIES, "Notification POSTs retried.", stats::retries);
    counter(registry, RESENT, "Firing alerts re-posted to Alertmanager.", stats::resent);
    GaugeWithCallback.builder()
        .name(FIRING)
        .help("Firing alerts the notifier keeps re-posting to Alertmanager.")
        .callback(cb -> cb.call(stats.alertmanagerFiring()))
        .register(registry);
    GaugeWithCallback.builder()
        .name(RUNNING)
        .help("1 while the notifier's Kafka Streams app is running or rebalancing.")
        .callback(
            cb -> {
              KafkaStreams.State state = notifier.state();
              cb.call(
                  state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING
                      ? 1
                      : 0);
            })
        .register(registry);
  }

  private static void counter(
      PrometheusRegistry registry, String name, String help, DoubleSupplier value) {
    CounterWithCallback.builder()
        .name(name)
        .help(help)
        .callback(cb -> cb.call(value.getAsDouble()))
        .register(registry);
  }
}
