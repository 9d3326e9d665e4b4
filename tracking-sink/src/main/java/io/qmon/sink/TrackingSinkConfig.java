package io.qmon.sink;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The settings of the tracking-sink deployable, typed and validated once. Every option has a key, a
 * default (or is required) and a description; {@link #OPTIONS} lists them for the README and for
 * {@code --help}.
 */
public final class TrackingSinkConfig {
  public static final ConfigOption<String> BOOTSTRAP_SERVERS =
      ConfigOption.string("kafka.bootstrap-servers", null, "Kafka bootstrap servers (required).");
  public static final ConfigOption<String> SCHEMA_REGISTRY_URL =
      ConfigOption.string(
          "schema-registry.url", null, "Confluent-API schema registry URL (required).");
  public static final ConfigOption<String> GROUP_ID_PREFIX =
      ConfigOption.string(
          "kafka.group-id-prefix",
          "qmon-sink",
          "Prefix of the consumer groups / Streams application id; each sink appends its name.");
  public static final ConfigOption<List<String>> SINKS =
      ConfigOption.list(
          "sinks",
          List.of("prometheus", "mlflow", "alerts"),
          "Comma-separated sinks to run: prometheus, mlflow, alerts.");

  public static final ConfigOption<String> PROMETHEUS_HOST =
      ConfigOption.string(
          "prometheus.host", "127.0.0.1", "Address the scrape endpoint binds to (loopback).");
  public static final ConfigOption<Integer> PROMETHEUS_PORT =
      ConfigOption.integer("prometheus.port", 9464, "Port of the scrape endpoint; 0 picks one.");
  public static final ConfigOption<Duration> PROMETHEUS_RUN_TTL =
      ConfigOption.duration(
          "prometheus.run-ttl",
          Duration.ofMinutes(15),
          "A run's series are removed after this long without a metric record.");
  public static final ConfigOption<Integer> PROMETHEUS_MAX_ACTIVE_RUNS =
      ConfigOption.integer(
          "prometheus.max-active-runs",
          500,
          "Cap on runs with live series; records of further runs are counted as dropped.");
  public static final ConfigOption<String> PROMETHEUS_OFFSET_RESET =
      ConfigOption.string(
          "prometheus.offset-reset",
          "latest",
          "Where the exporter starts without committed offsets: latest or earliest.");

  public static final ConfigOption<String> MLFLOW_TRACKING_URI =
      ConfigOption.string(
          "mlflow.tracking-uri", "http://127.0.0.1:5000", "MLflow tracking server URL.");
  public static final ConfigOption<Integer> MLFLOW_BATCH_MAX_METRICS =
      ConfigOption.integer(
          "mlflow.batch-max-metrics",
          1000,
          "Metric points per LogBatch request (MLflow's limit is 1000).");
  public static final ConfigOption<Integer> MLFLOW_QUEUE_CAPACITY =
      ConfigOption.integer(
          "mlflow.queue-capacity",
          10_000,
          "Decoded records held between the consumer and the writer; when full, consumption"
              + " pauses.");
  public static final ConfigOption<Integer> MLFLOW_MAX_PARKED =
      ConfigOption.integer(
          "mlflow.max-parked-records",
          20_000,
          "Metric records held for runs whose start was not seen yet; above it, qgm.metrics is"
              + " paused until run starts arrive.");
  public static final ConfigOption<Integer> MLFLOW_WRITER_THREADS =
      ConfigOption.integer(
          "mlflow.writer-threads",
          4,
          "Writer lanes sending LogBatch requests concurrently; each qmon run is written by one"
              + " lane (hash of its run id), so a run's points stay in order. Use as many MLflow"
              + " server workers.");
  public static final ConfigOption<Duration> MLFLOW_LINGER =
      ConfigOption.duration(
          "mlflow.linger", Duration.ofMillis(200), "How long the writer waits to fill a batch.");
  public static final ConfigOption<Duration> MLFLOW_RETRY_INITIAL =
      ConfigOption.duration(
          "mlflow.retry-initial", Duration.ofMillis(500), "First backoff when MLflow fails.");
  public static final ConfigOption<Duration> MLFLOW_RETRY_MAX =
      ConfigOption.duration(
          "mlflow.retry-max", Duration.ofSeconds(30), "Longest backoff between retries.");
  public static final ConfigOption<Duration> MLFLOW_FINISH_GRACE =
      ConfigOption.duration(
          "mlflow.finish-grace",
          Duration.ofMinutes(2),
          "After a run-finished event, how long to wait for its remaining epochs' metrics.");
  public static final ConfigOption<Duration> MLFLOW_STALL_TIMEOUT =
      ConfigOption.duration(
          "mlflow.stall-timeout",
          Duration.ofMinutes(10),
          "An open run without metrics for this long is tagged qmon.stalled=true.");

  public static final ConfigOption<String> ALERTS_STATE_DIR =
      ConfigOption.string(
          "alerts.state-dir",
          System.getProperty("java.io.tmpdir") + "/qmon-alert-notifier",
          "Kafka Streams state directory of the alert notifier.");
  public static final ConfigOption<List<String>> ALERTS_WEBHOOK_URLS =
      ConfigOption.list(
          "alerts.webhook-urls", List.of(), "Comma-separated URLs that receive alert JSON POSTs.");
  public static final ConfigOption<String> ALERTS_ALERTMANAGER_URL =
      ConfigOption.string(
          "alerts.alertmanager-url",
          "",
          "Alertmanager base URL (alerts go to /api/v2/alerts); empty disables.");
  public static final ConfigOption<Duration> ALERTS_FLAP_WINDOW =
      ConfigOption.duration(
          "alerts.flap-window",
          Duration.ofMinutes(1),
          "A re-fire of an alert resolved less than this long ago is suppressed as flapping.");
  public static final ConfigOption<Integer> ALERTS_HTTP_ATTEMPTS =
      ConfigOption.integer(
          "alerts.http-attempts", 5, "Attempts per notification POST before it is counted failed.");
  public static final ConfigOption<Duration> ALERTS_HTTP_BACKOFF =
      ConfigOption.duration(
          "alerts.http-backoff",
          Duration.ofMillis(200),
          "First backoff between POST attempts; doubles each retry.");

  /** Every option, in README order. */
  public static final List<ConfigOption<?>> OPTIONS =
      List.of(
          BOOTSTRAP_SERVERS,
          SCHEMA_REGISTRY_URL,
          GROUP_ID_PREFIX,
          SINKS,
          PROMETHEUS_HOST,
          PROMETHEUS_PORT,
          PROMETHEUS_RUN_TTL,
          PROMETHEUS_MAX_ACTIVE_RUNS,
          PROMETHEUS_OFFSET_RESET,
          MLFLOW_TRACKING_URI,
          MLFLOW_BATCH_MAX_METRICS,
          MLFLOW_QUEUE_CAPACITY,
          MLFLOW_MAX_PARKED,
          MLFLOW_WRITER_THREADS,
          MLFLOW_LINGER,
          MLFLOW_RETRY_INITIAL,
          MLFLOW_RETRY_MAX,
          MLFLOW_FINISH_GRACE,
          MLFLOW_STALL_TIMEOUT,
          ALERTS_STATE_DIR,
          ALERTS_WEBHOOK_URLS,
          ALERTS_ALERTMANAGER_URL,
          ALERTS_FLAP_WINDOW,
          ALERTS_HTTP_ATTEMPTS,
          ALERTS_HTTP_BACKOFF);

  private static final Set<String> SINK_NAMES = Set.of("prometheus", "mlflow", "alerts");

  private final Map<String, String> settings;

  private TrackingSinkConfig(Map<String, String> settings) {
    this.settings = Map.copyOf(settings);
    for (ConfigOption<?> option : OPTIONS) {
      option.read(this.settings);
    }
    for (String sink : get(SINKS)) {
      if (!SINK_NAMES.contains(sink)) {
        throw new IllegalArgumentException(
            "Setting 'sinks' names unknown sink '" + sink + "'; known: " + SINK_NAMES);
      }
    }
    int batch = get(MLFLOW_BATCH_MAX_METRICS);
    if (batch < 1 || batch > 1000) {
      throw new IllegalArgumentException(
          "Setting 'mlflow.batch-max-metrics' must be in [1, 1000] (MLflow LogBatch limit), was "
              + batch);
    }
    int threads = get(MLFLOW_WRITER_THREADS);
    if (threads < 1 || threads > MAX_WRITER_THREADS) {
      throw new IllegalArgumentException(
          "Setting 'mlflow.writer-threads' must be in [1, "
              + MAX_WRITER_THREADS
              + "], was "
              + threads);
    }
  }

  private static final int MAX_WRITER_THREADS = 64;

  /** Validates the settings; unknown keys are rejected so typos do not pass silently. */
  public static TrackingSinkConfig of(Map<String, String> settings) {
    Set<String> known = new java.util.HashSet<>();
    OPTIONS.forEach(o -> known.add(o.key()));
    for (String key : settings.keySet()) {
      if (!known.contains(key)) {
        throw new IllegalArgumentException("Unknown setting '" + key + "'");
      }
    }
    return new TrackingSinkConfig(settings);
  }

  /** Reads a properties file, then applies overrides (e.g. from the command line). */
  public static TrackingSinkConfig load(Path file, Map<String, String> overrides)
      throws IOException {
    Map<String, String> settings = new HashMap<>();
    if (file != null) {
      Properties properties = new Properties();
      try (Reader reader = Files.newBufferedReader(file)) {
        properties.load(reader);
      }
      properties.stringPropertyNames().forEach(k -> settings.put(k, properties.getProperty(k)));
    }
    settings.putAll(overrides);
    return of(settings);
  }

  /** The value of an option: the setting, parsed, or the option's default. */
  public <T> T get(ConfigOption<T> option) {
    return option.read(settings);
  }

  /** A copy with some settings replaced. */
  public TrackingSinkConfig with(Map<String, String> overrides) {
    Map<String, String> copy = new HashMap<>(settings);
    copy.putAll(overrides);
    return of(copy);
  }
}
