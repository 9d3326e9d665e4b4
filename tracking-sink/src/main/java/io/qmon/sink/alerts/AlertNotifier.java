package io.qmon.sink.alerts;

import io.qmon.schemas.serde.SchemaRegistry;
import io.qmon.sink.FatalErrorHandler;
import io.qmon.sink.TrackingSinkConfig;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
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
    return start(config, registry, onFatal, runId -> Optional.empty());
  }

  /**
   * Starts the notifier; {@code knownRunPages} gives the MLflow UI route of a run's page when the
   * MLflow writer in this process knows it, so alerts link the run itself (see {@link RunLinks}).
   */
  public static AlertNotifier start(
      TrackingSinkConfig config,
      SchemaRegistry registry,
      FatalErrorHandler onFatal,
      Function<String, Optional<String>> knownRunPages) {
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
    AlertNotifierTopology.AlertmanagerForwarding forwarding = null;
    if (!alertmanager.isBlank()) {
      Duration interval = config.get(TrackingSinkConfig.ALERTS_RESEND_INTERVAL);
      forwarding =
          new AlertNotifierTopology.AlertmanagerForwarding(
              new AlertmanagerResend(
                  interval,
                  config.get(TrackingSinkConfig.ALERTS_ENDS_AT_INTERVALS),
                  config.get(TrackingSinkConfig.ALERTS_RESEND_MAX_AGE)),
              new RunLinks(config.get(TrackingSinkConfig.ALERTS_MLFLOW_UI_URL), knownRunPages),
              alertmanagerClient(alertmanager, poster),
              // A resend is tried once: the next resend is its retry, and retries with backoff
              // here would hold up the stream thread while Alertmanager is down.
              alertmanagerClient(
                  alertmanager,
                  new HttpPoster(1, config.get(TrackingSinkConfig.ALERTS_HTTP_BACKOFF), stats)),
              resendCheck(interval));
    }
    Duration flapWindow = config.get(TrackingSinkConfig.ALERTS_FLAP_WINDOW);
    KafkaStreams streams =
        new KafkaStreams(
            AlertNotifierTopology.buildTopology(
                new AlertSerde(registry), flapWindow, routes, forwarding, stats),
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

  /** A client of the Alertmanager at the base URL ({@code POST <base>/api/v2/alerts}). */
  private static AlertmanagerClient alertmanagerClient(String baseUrl, HttpPoster poster) {
    String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    URI alerts = URI.create(base + "/api/v2/alerts");
    return list -> poster.post(alerts, AlertJson.alertmanager(list));
  }

  /** A quarter of the resend interval (at least 100 ms): resends go out at most 25% late. */
  static Duration resendCheck(Duration interval) {
    return Duration.ofMillis(Math.max(100, interval.toMillis() / 4));
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
