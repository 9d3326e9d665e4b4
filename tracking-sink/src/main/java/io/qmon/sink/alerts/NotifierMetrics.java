package io.qmon.sink.alerts;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.qmon.sink.prometheus.CallbackSeries;
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
    CallbackSeries.counter(
        registry, DELIVERED, "Notifications a route delivered.", stats::delivered);
    CallbackSeries.counter(
        registry,
        FAILED,
        "Notifications a route gave up on after its attempts (logged with the alert).",
        stats::failed);
    CallbackSeries.counter(registry, RETRIES, "Notification POSTs retried.", stats::retries);
    CallbackSeries.counter(
        registry, RESENT, "Firing alerts re-posted to Alertmanager.", stats::resent);
    CallbackSeries.gauge(
        registry,
        FIRING,
        "Firing alerts the notifier keeps re-posting to Alertmanager.",
        stats::alertmanagerFiring);
    CallbackSeries.gauge(
        registry,
        RUNNING,
        "1 while the notifier's Kafka Streams app is running or rebalancing.",
        () -> {
          KafkaStreams.State state = notifier.state();
          return state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING
              ? 1
              : 0;
        });
  }
}
