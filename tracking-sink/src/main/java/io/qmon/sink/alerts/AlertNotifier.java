package io.qmon.sink.alerts;

import io.qmon.schemas.serde.SchemaRegistry;
import io.qmon.sink.FatalErrorHandler;
import io.qmon.sink.TrackingSinkConfig;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;

/** The alert notifier deployable: the topology running in a KafkaStreams instance. */
public final class AlertNotifier implements AutoCloseable {
  private final KafkaStreams streams;
  private final NotifierStats stats;

  private AlertNotifier(KafkaStreams streams, NotifierStats stats) {
    this.streams = streams;
    this.stats = stats;
  }

  /** Starts the notifier with the routes the config names (the log route always). */
  public static AlertNotifier start(TrackingSinkConfig config, SchemaRegistry registry) {
    return start(config, registry, FatalErrorHandler.logOnly());
  }

  /**
   * Starts the notifier; {@code onFatal} hears when the Streams app dies (state ERROR after an
   * uncaught exception).
   */
  public static AlertNotifier start(
      TrackingSinkConfig config, SchemaRegistry registry, FatalErrorHandler onFatal) {
    NotifierStats stats = new NotifierStats();
    HttpPoster poster =
        new HttpPoster(
            config.get(TrackingSinkConfig.ALERTS_HTTP_ATTEMPTS),
            config.get(TrackingSinkConfig.ALERTS_HTTP_BACKOFF),
            stats);
    List<AlertRoute> routes = new ArrayList<>();
    routes.add(new LogRoute());
    for (String url : config.get(TrackingSinkConfig.ALERTS_WEBHOOK_URLS)) {
      routes.add(new WebhookRoute(URI.create(url), poster));
    }
    String alertmanager = config.get(TrackingSinkConfig.ALERTS_ALERTMANAGER_URL);
    if (!alertmanager.isBlank()) {
      routes.add(new AlertmanagerRoute(alertmanager, poster));
    }
    Duration flapWindow = config.get(TrackingSinkConfig.ALERTS_FLAP_WINDOW);
    KafkaStreams streams =
        new KafkaStreams(
            AlertNotifierTopology.buildTopology(
                new AlertSerde(registry), flapWindow, routes, stats),
            AlertNotifierTopology.streamsConfig(
                config.get(TrackingSinkConfig.GROUP_ID_PREFIX) + "-alerts",
                config.get(TrackingSinkConfig.BOOTSTRAP_SERVERS),
                config.get(TrackingSinkConfig.ALERTS_STATE_DIR),
                config.get(TrackingSinkConfig.ISOLATION_LEVEL),
                config.kafkaProperties()));
    streams.setUncaughtExceptionHandler(
        e -> {
          onFatal.fatal("alerts", e);
          return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
    streams.start();
    return new AlertNotifier(streams, stats);
  }

  public NotifierStats stats() {
    return stats;
  }

  public KafkaStreams.State state() {
    return streams.state();
  }

  @Override
  public void close() {
    streams.close(Duration.ofSeconds(30));
  }
}
