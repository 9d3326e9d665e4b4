package io.qmon.sink.prometheus;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.qmon.schemas.serde.SchemaRegistry;
import io.qmon.sink.TrackingSinkConfig;
import io.qmon.sink.kafka.ConsumerSettings;
import io.qmon.sink.kafka.TopicDecoder;
import java.util.function.LongSupplier;

/** The Prometheus sink as one deployable piece: exporter, scrape endpoint and consumer loop. */
public final class PrometheusSink implements AutoCloseable {
  private final QmonExporter exporter;
  private final ScrapeEndpoint endpoint;
  private final ExporterLoop loop;

  private PrometheusSink(QmonExporter exporter, ScrapeEndpoint endpoint, ExporterLoop loop) {
    this.exporter = exporter;
    this.endpoint = endpoint;
    this.loop = loop;
  }

  /** Starts serving and consuming per the config, with the system clock. */
  public static PrometheusSink start(TrackingSinkConfig config, SchemaRegistry registry) {
    return start(config, registry, System::currentTimeMillis);
  }

  /** Starts serving and consuming per the config; the clock drives the run TTL. */
  public static PrometheusSink start(
      TrackingSinkConfig config, SchemaRegistry registry, LongSupplier clock) {
    QmonExporter exporter =
        new QmonExporter(
            new PrometheusRegistry(),
            config.get(TrackingSinkConfig.PROMETHEUS_MAX_ACTIVE_RUNS),
            config.get(TrackingSinkConfig.PROMETHEUS_RUN_TTL),
            clock);
    ScrapeEndpoint endpoint =
        ScrapeEndpoint.start(
            exporter.registry(),
            config.get(TrackingSinkConfig.PROMETHEUS_HOST),
            config.get(TrackingSinkConfig.PROMETHEUS_PORT));
    ExporterLoop loop =
        new ExporterLoop(
            ConsumerSettings.of(
                config.get(TrackingSinkConfig.BOOTSTRAP_SERVERS),
                config.get(TrackingSinkConfig.GROUP_ID_PREFIX) + "-prometheus",
                config.get(TrackingSinkConfig.PROMETHEUS_OFFSET_RESET),
                true),
            new TopicDecoder(registry),
            exporter);
    return new PrometheusSink(exporter, endpoint, loop.start());
  }

  /** The address Prometheus scrapes, host:port. */
  public String scrapeTarget() {
    return endpoint.target();
  }

  public QmonExporter exporter() {
    return exporter;
  }

  @Override
  public void close() {
    try {
      loop.close();
    } finally {
      endpoint.close();
    }
  }
}
