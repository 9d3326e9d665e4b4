package io.qmon.sink;

import io.qmon.schemas.config.Redaction;
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
 *
 * <p><b>Kafka client settings</b> (security and the like) pass through one key per Kafka property:
 * {@code kafka.properties.<kafka key>=<value>}, e.g. {@code
 * kafka.properties.security.protocol=SASL_SSL} and {@code
 * kafka.properties.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule
 * required username="a,b" password="p";}. Each property is its own key, so a value may hold commas,
 * {@code =} and quotes as they are (in a properties file, or as one command-line argument split at
 * its first {@code =}). They apply to every sink's Kafka clients (consumers and the alert
 * notifier's Streams app); the properties the sinks set themselves ({@link
 * #RESERVED_KAFKA_PROPERTIES}) are refused.
 *
 * <p><b>Secrets</b> are never logged: {@link #toString()} (what the sink logs at start) and error
 * messages show {@code [redacted]} (the shared {@code io.qmon.schemas.config.Redaction}) for {@code
 * sasl.jaas.config}, {@code basic.auth.user.info}, and any key containing {@code password}, {@code
 * token} or {@code secret}.
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
  public static final ConfigOption<String> ISOLATION_LEVEL =
      ConfigOption.choice(
          "kafka.isolation-level",
          "read_committed",
          List.of("read_committed", "read_uncommitted"),
          "Isolation level of every sink consumer: read_committed sees only records of committed"
              + " transactions, as needed when the job runs job.delivery-guarantee=exactly-once (and"
              + " harmless otherwise).");

  public static final ConfigOption<String> PROMETHEUS_HOST =
      ConfigOption.string(
          "prometheus.host", "127.0.0.1", "Address the scrape endpoint binds to (loopback).");
  public static final ConfigOption<Integer> PROMETHEUS_PORT =
      ConfigOption.integer("prometheus.port", 9464, "Port of the scrape endpoint; 0 picks one.");
  public static final ConfigOption<Integer> PROMETHEUS_MAX_ACTIVE_RUNS =
      ConfigOption.integer(
          "prometheus.max-active-runs",
          500,
          "Cap on runs with live series; records of further runs are counted as dropped.");
  public static final ConfigOption<Duration> PROMETHEUS_CLOSED_RUN_RETENTION =
      ConfigOption.duration(
          "prometheus.closed-run-retention",
          Duration.ofSeconds(30),
          "How long a closed run's series are still served after its RUN_CLOSED record, so a run"
              + " shorter than a scrape interval is scraped at least once; keep it above two"
              + " scrape intervals. PT0S removes them at once.");
  public static final ConfigOption<String> PROMETHEUS_OFFSET_RESET =
      ConfigOption.string(
          "prometheus.offset-reset",
          "latest",
          "Where the exporter starts without committed offsets: latest or earliest.");

  public static final ConfigOption<String> MLFLOW_TRACKING_URI =
      ConfigOption.string(
          "mlflow.tracking-uri", "http://127.0.0.1:5000", "MLflow tracking server URL.");
  public static final ConfigOption<String> MLFLOW_TRACKING_TOKEN =
      ConfigOption.string(
          "mlflow.tracking-token",
          "",
          "Bearer token for the MLflow server; empty: the MLFLOW_TRACKING_TOKEN environment"
              + " variable, if set. Never logged.");
  public static final ConfigOption<String> MLFLOW_TRACKING_USERNAME =
      ConfigOption.string(
          "mlflow.tracking-username",
          "",
          "HTTP basic-auth user for the MLflow server; empty: MLFLOW_TRACKING_USERNAME, if set.");
  public static final ConfigOption<String> MLFLOW_TRACKING_PASSWORD =
      ConfigOption.string(
          "mlflow.tracking-password",
          "",
          "HTTP basic-auth password; empty: MLFLOW_TRACKING_PASSWORD, if set. Never logged.");
  public static final ConfigOption<Duration> MLFLOW_CONNECT_TIMEOUT =
      ConfigOption.duration(
          "mlflow.connect-timeout",
          Duration.ofSeconds(5),
          "Longest wait for a connection to the MLflow server; then the call is retried.");
  public static final ConfigOption<Duration> MLFLOW_READ_TIMEOUT =
      ConfigOption.duration(
          "mlflow.read-timeout",
          Duration.ofSeconds(60),
          "Longest wait for an answer of the MLflow server; then the call is retried.");
  public static final ConfigOption<Integer> MLFLOW_BATCH_MAX_METRICS =
      ConfigOption.integer(
          "mlflow.batch-max-metrics",
          1000,
          "Metric points per LogBatch request (MLflow's limit is 1000).");
  public static final ConfigOption<Integer> MLFLOW_QUEUE_CAPACITY =
      ConfigOption.integer(
          "mlflow.queue-capacity",
          10_000,
          "Decoded metric records held between the consumer and the writer lanes; when full,"
              + " consumption pauses.");
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

  public static final ConfigOption<Duration> MLFLOW_CLOSE_WAIT =
      ConfigOption.duration(
          "mlflow.close-wait",
          Duration.ofSeconds(10),
          "How long a run's RUN_CLOSED waits for the records of its last epoch, which travel on"
              + " other partitions and can be read after it, before the run is closed anyway;"
              + " its charts are drawn when it closes.");

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
  public static final ConfigOption<Duration> ALERTS_RESEND_INTERVAL =
      ConfigOption.duration(
          "alerts.resend-interval",
          Duration.ofMinutes(1),
          "How often a firing alert is re-posted to Alertmanager (as Prometheus does); keep it"
              + " well below Alertmanager's resolve_timeout.");
  public static final ConfigOption<Integer> ALERTS_ENDS_AT_INTERVALS =
      ConfigOption.integer(
          "alerts.ends-at-intervals",
          4,
          "endsAt of a firing alert posted to Alertmanager = now + this many resend intervals"
              + " (at least 2), so it stays active while the notifier re-posts it and ends by"
              + " itself when the notifier stops.");
  public static final ConfigOption<Duration> ALERTS_RESEND_MAX_AGE =
      ConfigOption.duration(
          "alerts.resend-max-age",
          Duration.ofHours(6),
          "A firing alert is re-posted for at most this long (the job never resolves run-stalled"
              + " alerts); then Alertmanager ends it at its last endsAt.");
  public static final ConfigOption<String> ALERTS_MLFLOW_UI_URL =
      ConfigOption.string(
          "alerts.mlflow-ui-url",
          "",
          "MLflow UI base URL for the generatorURL of Alertmanager alerts (the run's page when"
              + " the MLflow writer runs in the same process and knows the run, else MLflow's"
              + " experiment search filtered on the run's qmon.run_id tag); empty: no link.");
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
          ISOLATION_LEVEL,
          PROMETHEUS_HOST,
          PROMETHEUS_PORT,
          PROMETHEUS_MAX_ACTIVE_RUNS,
          PROMETHEUS_CLOSED_RUN_RETENTION,
          PROMETHEUS_OFFSET_RESET,
          MLFLOW_TRACKING_URI,
          MLFLOW_TRACKING_TOKEN,
          MLFLOW_TRACKING_USERNAME,
          MLFLOW_TRACKING_PASSWORD,
          MLFLOW_CONNECT_TIMEOUT,
          MLFLOW_READ_TIMEOUT,
          MLFLOW_BATCH_MAX_METRICS,
          MLFLOW_QUEUE_CAPACITY,
          MLFLOW_WRITER_THREADS,
          MLFLOW_LINGER,
          MLFLOW_RETRY_INITIAL,
          MLFLOW_RETRY_MAX,
          MLFLOW_CLOSE_WAIT,
          ALERTS_STATE_DIR,
          ALERTS_WEBHOOK_URLS,
          ALERTS_ALERTMANAGER_URL,
          ALERTS_RESEND_INTERVAL,
          ALERTS_ENDS_AT_INTERVALS,
          ALERTS_RESEND_MAX_AGE,
          ALERTS_MLFLOW_UI_URL,
          ALERTS_FLAP_WINDOW,
          ALERTS_HTTP_ATTEMPTS,
          ALERTS_HTTP_BACKOFF);

  /** Prefix of Kafka client properties passed through as they are. */
  public static final String KAFKA_PROPERTIES_PREFIX = "kafka.properties.";

  /**
   * Kafka properties the sinks own; setting them through {@value #KAFKA_PROPERTIES_PREFIX} fails.
   */
  public static final Set<String> RESERVED_KAFKA_PROPERTIES =
      Set.of(
          "bootstrap.servers",
          "group.id",
          "client.id",
          "application.id",
          "enable.auto.commit",
          "auto.offset.reset",
          "isolation.level",
          "key.deserializer",
          "value.deserializer");

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
      if (key.startsWith(KAFKA_PROPERTIES_PREFIX)) {
        String property = key.substring(KAFKA_PROPERTIES_PREFIX.length());
        if (property.isBlank()) {
          throw new IllegalArgumentException("Setting '" + key + "' names no Kafka property");
        }
        if (RESERVED_KAFKA_PROPERTIES.contains(property)) {
          throw new IllegalArgumentException(
              "Setting '"
                  + key
                  + "' overrides a property the sinks set themselves; use the sink's own option");
        }
      } else if (!known.contains(key)) {
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

  /** The Kafka client properties passed through ({@value #KAFKA_PROPERTIES_PREFIX}...). */
  public Map<String, String> kafkaProperties() {
    Map<String, String> properties = new java.util.TreeMap<>();
    settings.forEach(
        (k, v) -> {
          if (k.startsWith(KAFKA_PROPERTIES_PREFIX)) {
            properties.put(k.substring(KAFKA_PROPERTIES_PREFIX.length()), v);
          }
        });
    return properties;
  }

  /**
   * How to reach MLflow: the options, with credentials from MLflow's environment variables where
   * the options leave them empty.
   */
  public io.qmon.sink.mlflow.MlflowConnection mlflowConnection(Map<String, String> env) {
    return new io.qmon.sink.mlflow.MlflowConnection(
        get(MLFLOW_TRACKING_URI),
        get(MLFLOW_CONNECT_TIMEOUT),
        get(MLFLOW_READ_TIMEOUT),
        orEnv(MLFLOW_TRACKING_TOKEN, env, "MLFLOW_TRACKING_TOKEN"),
        orEnv(MLFLOW_TRACKING_USERNAME, env, "MLFLOW_TRACKING_USERNAME"),
        orEnv(MLFLOW_TRACKING_PASSWORD, env, "MLFLOW_TRACKING_PASSWORD"));
  }

  private String orEnv(ConfigOption<String> option, Map<String, String> env, String variable) {
    String value = get(option);
    if (value.isEmpty()) {
      String fromEnv = env.get(variable);
      return fromEnv == null ? "" : fromEnv.trim();
    }
    return value;
  }

  /** Every setting given, sorted, with secrets redacted: safe to log. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("TrackingSinkConfig{");
    new java.util.TreeMap<>(settings)
        .forEach(
            (k, v) ->
                out.append(out.length() > 19 ? ", " : "")
                    .append(k)
                    .append('=')
                    .append(Redaction.value(k, v)));
    return out.append('}').toString();
  }

  /** A copy with some settings replaced. */
  public TrackingSinkConfig with(Map<String, String> overrides) {
    Map<String, String> copy = new HashMap<>(settings);
    copy.putAll(overrides);
    return of(copy);
  }
}
