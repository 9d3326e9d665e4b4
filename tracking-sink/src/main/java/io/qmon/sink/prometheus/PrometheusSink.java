package io.qmon.sink.prometheus;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.qmon.schemas.serde.SchemaRegistry;
import io.qmon.sink.FatalErrorHandler;
import io.qmon.sink.TrackingSinkConfig;
import io.qmon.sink.kafka.ConsumerSettings;
import io.qmon.sink.kafka.TopicDecoder;

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

  /** Starts serving and consuming per the config; a dead consumer thread is only logged. */
  public static PrometheusSink start(TrackingSinkConfig config, SchemaRegistry registry) {
    return start(config, registry, FatalErrorHandler.logOnly());
  }

  /** Starts serving and consuming per the config; {@code onFatal} hears of a dead thread. */
  public static PrometheusSink start(
      TrackingSinkConfig config, SchemaRegistry registry, FatalErrorHandler onFatal) {
    QmonExporter exporter =
        new QmonExporter(
            new PrometheusRegistry(),
            config.get(TrackingSinkConfig.PROMETHEUS_MAX_ACTIVE_RUNS),
            config.get(TrackingSinkConfig.PROMETHEUS_CLOSED_RUN_RETENTION),
            System::currentTimeMillis);
    ScrapeEndpoint endpoint =
        ScrapeEndpoint.start(
            exporter.registry(),
            config.get(TrackingSinkConfig.PROMETHEUS_HOST),
            config.get(TrackingSinkConfig.PROMETHEUS_PORT));
    ExporterLoop loop =
        new ExporterLoop(
            ConsumerSettings.of(
                config, "prometheus", config.get(TrackingSinkConfig.PROMETHEUS_OFFSET_RESET), true),
            new TopicDecoder(registry),
            exporter,
            onFatal);
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
