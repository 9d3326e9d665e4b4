package io.qmon.jobs.config;

import io.qmon.metrics.advice.AdviceSettings;
import io.qmon.metrics.advice.AdviceSettingsByModel;
import io.qmon.schemas.config.Redaction;
import io.qmon.schemas.config.RegistryClientSettings;
import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;

/**
 * Every setting of the monitoring job, typed, with its default and description in one place.
 *
 * <p>Values come, in increasing precedence, from the defaults below, Java system properties ({@code
 * -Dqmon.kafka.bootstrap-servers=...}), environment variables ({@code
 * QMON_KAFKA_BOOTSTRAP_SERVERS}) and command-line arguments ({@code --kafka.bootstrap-servers
 * ...}). Defaults run on one machine; every address and parallelism can be overridden.
 */
public final class JobConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  /** One documented option: key, default and description. */
  public record Option(String key, String defaultValue, String description)
      implements Serializable {
    /** The environment variable that sets this option. */
    public String environmentVariable() {
      return "QMON_" + key.toUpperCase().replace('.', '_').replace('-', '_');
    }
  }

  public static final Option BOOTSTRAP_SERVERS =
      new Option("kafka.bootstrap-servers", "127.0.0.1:9092", "Kafka bootstrap servers.");
  public static final Option SCHEMA_REGISTRY_URL =
      new Option(
          "schema-registry.url",
          "http://127.0.0.1:8081",
          "Base URL of a Confluent-API schema registry (Apicurio: .../apis/ccompat/v7).");
  public static final Option GROUP_ID =
      new Option("kafka.group-id", "qmon-monitoring-job", "Consumer group of the job's sources.");
  public static final Option PARALLELISM =
      new Option("job.parallelism", "2", "Parallelism of every operator.");
  public static final Option MAX_PENDING_SHOTS =
      new Option(
          "job.max-pending-shots",
          "1000",
          "Shot events kept per run while its start or its target is not yet known; beyond that"
              + " they are dead-lettered.");
  public static final Option PENDING_TIMEOUT_MS =
      new Option(
          "job.pending-timeout-ms",
          "60000",
          "How long shot events may wait for their run's start or target, and a finished run for"
              + " its last epochs, before what still waits is dead-lettered.");
  public static final Option STALL_TIMEOUT_MS =
      new Option(
          "job.stall-timeout-ms",
          "300000",
          "A run with no event for this long gets a run-stalled alert and is closed.");
  public static final Option DEDUP_TTL_MS =
      new Option(
          "job.dedup-ttl-ms",
          "3600000",
          "How long the (producer id, sequence) of each event is remembered to drop duplicates.");
  public static final Option MAX_OUT_OF_ORDERNESS_MS =
      new Option(
          "job.max-out-of-orderness-ms",
          "5000",
          "Bounded out-of-orderness of event times for watermarks.");
  public static final Option IDLENESS_MS =
      new Option(
          "job.idleness-ms",
          "30000",
          "A source split with no events for this long stops holding back the watermark.");
  public static final Option ALLOWED_LATENESS_MS =
      new Option(
          "job.allowed-lateness-ms",
          "60000",
          "Per run: a shot or state event older than its run's latest event time by more than this is"
              + " late (dead-lettered as LATE_EVENT). Judged per run, so no producer's clock can"
              + " make another run's events late.");
  public static final Option MAX_FUTURE_SKEW_MS =
      new Option(
          "job.max-future-skew-ms",
          "60000",
          "Run, shot and state events stamped further ahead of the job's clock than this are"
              + " dead-lettered as FUTURE_EVENT_TIME and move no watermark.");
  public static final Option HISTOGRAM_EVERY_EPOCHS =
      new Option(
          "job.histogram-every-epochs",
          "10",
          "EPOCH records of epochs that are a multiple of this carry the generated histogram beside"
              + " the target (0: none); the RUN_CLOSED record always carries the last one.");
  public static final Option MAX_EPOCH_JUMP =
      new Option(
          "job.max-epoch-jump",
          "100000",
          "An epoch further than this beyond its run's last scored epoch is dead-lettered"
              + " (INVALID_EPOCH), so one bogus epoch cannot make the rest of its run go backwards"
              + " (0: no bound).");
  public static final Option HISTOGRAM_MAX_OUTCOMES =
      new Option(
          "job.histogram-max-outcomes",
          "4096",
          "Most outcomes a histogram holds; beyond that the outcomes with the largest target or"
              + " generated mass are kept.");
  public static final Option MAX_STATE_QUBITS =
      new Option(
          "job.max-state-qubits",
          "16",
          "Most qubits a state snapshot may have (2^n amplitudes); larger ones are dead-lettered"
              + " as INVALID_STATE. Scoring one costs O(2^n * 2^(n/2)).");
  public static final Option STATE_CUTS =
      new Option(
          "job.state-cuts",
          "none",
          "Extra bipartitions whose entanglement entropy STATE records report, as ';'-separated"
              + " lists of ','-separated qubit indices (e.g. 0,1;2); a cut naming a qubit a"
              + " snapshot does not have is skipped for it. none (or blank): no extra cut.");
  public static final Option WINDOW_EPOCHS =
      new Option("job.window-epochs", "10", "K: sliding windows cover a run's last K epochs.");
  public static final Option WINDOW_SLIDE =
      new Option("job.window-slide", "5", "A window record is emitted every this many epochs.");
  public static final Option DETECTORS =
      new Option(
          "job.detectors",
          io.qmon.jobs.detect.DetectorCatalog.DEFAULTS,
          "Anomaly detectors to run per run: jsd-zscore, jsd-ewma, jsd-cusum, jsd-noise-floor,"
              + " mode-collapse, shots-drop, jsd-trend, distribution-shift, uniform-drift; each may"
              + " take parameters, e.g."
              + " jsd-zscore(z=5;window=100). Convergence, plateau and barren plateau come from"
              + " the advice stage.");
  public static final Option ADVICE_SMOOTHING_EPOCHS =
      new Option(
          "job.advice-smoothing-epochs",
          "10",
          "k: a run's level is the median of its last k JSD values; converged when it is within"
              + " the 99% shot-noise floor.");
  public static final Option ADVICE_PLATEAU_EPOCHS =
      new Option(
          "job.advice-plateau-epochs",
          "20",
          "W: plateau (or barren plateau) when the best level fell by less than one shot-noise"
              + " floor in the last W epochs.");
  public static final Option ADVICE_COLLAPSE_FRACTION =
      new Option(
          "job.advice-collapse-fraction",
          "0.75",
          "Collapsed when each of the last 3 coverages is at most this share of the run's best"
              + " median coverage (and its JSD worse than its best by a floor); in (0, 1).");
  public static final Option ADVICE_QGAN_PLATEAU_EPOCHS =
      new Option(
          "job.advice-qgan-plateau-epochs",
          "40",
          "W for runs whose start declares model_type qgan: they learn in bursts.");
  public static final Option ADVICE_QGAN_COLLAPSE_FRACTION =
      new Option(
          "job.advice-qgan-collapse-fraction",
          "0.5",
          "The collapse fraction for runs whose start declares model_type qgan: their coverage"
              + " swings by whole modes; in (0, 1).");
  public static final Option DELIVERY_GUARANTEE =
      new Option(
          "job.delivery-guarantee",
          "at-least-once",
          "at-least-once (records visible at once; deterministic record ids let consumers drop"
              + " replays) or exactly-once (Kafka transactions; records visible to read_committed"
              + " consumers when a checkpoint completes).");
  public static final Option BUFFER_TIMEOUT_MS =
      new Option(
          "job.buffer-timeout-ms",
          "10",
          "Longest a record waits in a network buffer before it is sent on: lower is lower"
              + " latency, higher is more throughput.");
  public static final Option CHECKPOINT_INTERVAL_MS =
      new Option(
          "job.checkpoint-interval-ms",
          "5000",
          "Checkpoint interval in milliseconds; 0 disables checkpointing (a restart then re-reads"
              + " the input from the start).");
  public static final Option CONSUMER_PROPERTIES =
      new Option(
          "kafka.consumer-properties",
          "fetch.min.bytes=262144,fetch.max.wait.ms=20,max.poll.records=5000",
          "Kafka consumer settings of the sources, as comma-separated key=value pairs (any"
              + " consumer config, security included; a comma inside double quotes, as in a"
              + " sasl.jaas.config password, or escaped as \\, does not split). The defaults"
              + " batch fetches under load and add at most fetch.max.wait.ms of latency when the"
              + " input is quiet.");
  public static final Option PRODUCER_PROPERTIES =
      new Option(
          "kafka.producer-properties",
          "linger.ms=10,batch.size=1048576,compression.type=lz4",
          "Kafka producer settings of the sinks, as comma-separated key=value pairs (quoting as"
              + " for kafka.consumer-properties; any producer config, security included). Larger"
              + " batches cost the broker far less per record.");
  public static final Option KAFKA_PROPERTIES_FILE =
      new Option(
          "kafka.properties-file",
          "",
          "A Java properties file of Kafka client settings for the sources and the sinks alike"
              + " (like the Kafka tools' --command-config): the place for security.protocol,"
              + " sasl.* and ssl.* settings. kafka.consumer-properties and"
              + " kafka.producer-properties override it.");
  public static final Option SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO =
      new Option(
          "schema-registry.basic-auth-user-info",
          "",
          "user:password for HTTP basic auth to the schema registry (Confluent's"
              + " basic.auth.user.info); empty for none. Never logged.");
  public static final Option SCHEMA_REGISTRY_TRUSTSTORE_LOCATION =
      new Option(
          "schema-registry.ssl.truststore-location",
          "",
          "Truststore (PKCS12 or JKS) or PEM file of CA certificates (.pem/.crt/.cer) trusted for"
              + " an https schema registry; empty for the JVM's default trust.");
  public static final Option SCHEMA_REGISTRY_TRUSTSTORE_PASSWORD =
      new Option(
          "schema-registry.ssl.truststore-password",
          "",
          "Password of schema-registry.ssl.truststore-location (none for PEM files). Never"
              + " logged.");
  // Durability: checkpoints, state backend and restarts (applied by Durability).
  public static final Option RESTART_ATTEMPTS =
      new Option(
          "job.restart-attempts",
          "unlimited",
          "Restarts in a row before a failing job gives up (unlimited, or a number; 0: the first failure ends the job); the count"
              + " starts again after a quiet period of job.restart-reset-backoff-threshold-ms."
              + " Each restart resumes from the last checkpoint.");
  public static final Option CHECKPOINT_DIR =
      new Option(
          "job.checkpoint-dir",
          "",
          "Where checkpoints are written (any Flink file system URI, e.g. file:///var/qmon/ckpt"
              + " or s3://bucket/qmon); blank keeps the cluster's own execution.checkpointing.dir"
              + " (state.checkpoints.dir). Checkpoints are retained when the job is cancelled.");
  public static final Option TOLERABLE_CHECKPOINT_FAILURES =
      new Option(
          "job.tolerable-checkpoint-failures",
          "3",
          "Checkpoints in a row that may fail (e.g. while storage is slow) before the job"
              + " restarts.");
  public static final Option STATE_BACKEND =
      new Option(
          "job.state-backend",
          "hashmap",
          "hashmap (state on the heap, fastest) or rocksdb (state on local disk, for many open"
              + " runs; incremental checkpoints). RocksDB ships in every Flink distribution.");
  public static final Option RESTART_INITIAL_BACKOFF_MS =
      new Option(
          "job.restart-initial-backoff-ms",
          "1000",
          "Wait before the first restart after a failure.");
  public static final Option RESTART_MAX_BACKOFF_MS =
      new Option("job.restart-max-backoff-ms", "60000", "Longest wait between restarts in a row.");
  public static final Option RESTART_BACKOFF_MULTIPLIER =
      new Option(
          "job.restart-backoff-multiplier",
          "2.0",
          "Each restart in a row waits this many times longer than the previous one.");
  public static final Option RESTART_RESET_BACKOFF_THRESHOLD_MS =
      new Option(
          "job.restart-reset-backoff-threshold-ms",
          "600000",
          "After this long without a failure the wait and the restart count start again.");
  public static final Option RESTART_JITTER =
      new Option(
          "job.restart-jitter",
          "0.1",
          "Random share (0 to 1) added to or taken from each wait, so jobs do not restart in"
              + " lockstep.");

  /** Every option, in the order the README documents them. */
  public static final Option[] OPTIONS = {
    BOOTSTRAP_SERVERS,
    SCHEMA_REGISTRY_URL,
    GROUP_ID,
    PARALLELISM,
    MAX_PENDING_SHOTS,
    PENDING_TIMEOUT_MS,
    STALL_TIMEOUT_MS,
    DEDUP_TTL_MS,
    MAX_OUT_OF_ORDERNESS_MS,
    IDLENESS_MS,
    ALLOWED_LATENESS_MS,
    MAX_FUTURE_SKEW_MS,
    HISTOGRAM_EVERY_EPOCHS,
    MAX_EPOCH_JUMP,
    HISTOGRAM_MAX_OUTCOMES,
    MAX_STATE_QUBITS,
    STATE_CUTS,
    WINDOW_EPOCHS,
    WINDOW_SLIDE,
    DETECTORS,
    ADVICE_SMOOTHING_EPOCHS,
    ADVICE_PLATEAU_EPOCHS,
    ADVICE_COLLAPSE_FRACTION,
    ADVICE_QGAN_PLATEAU_EPOCHS,
    ADVICE_QGAN_COLLAPSE_FRACTION,
    DELIVERY_GUARANTEE,
    BUFFER_TIMEOUT_MS,
    CHECKPOINT_INTERVAL_MS,
    RESTART_ATTEMPTS,
    CHECKPOINT_DIR,
    TOLERABLE_CHECKPOINT_FAILURES,
    STATE_BACKEND,
    RESTART_INITIAL_BACKOFF_MS,
    RESTART_MAX_BACKOFF_MS,
    RESTART_BACKOFF_MULTIPLIER,
    RESTART_RESET_BACKOFF_THRESHOLD_MS,
    RESTART_JITTER,
    CONSUMER_PROPERTIES,
    PRODUCER_PROPERTIES,
    KAFKA_PROPERTIES_FILE,
    SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO,
    SCHEMA_REGISTRY_TRUSTSTORE_LOCATION,
    SCHEMA_REGISTRY_TRUSTSTORE_PASSWORD
  };

  private final Map<String, String> values;

  private JobConfig(Map<String, String> values) {
    this.values = values;
  }

  /** Defaults overridden by system properties, then environment variables, then arguments. */
  public static JobConfig fromArgs(String[] args) {
    Map<String, String> values = new LinkedHashMap<>();
    for (Option option : OPTIONS) {
      String value = option.defaultValue();
      value = System.getProperty("qmon." + option.key(), value);
      value = System.getenv().getOrDefault(option.environmentVariable(), value);
      values.put(option.key(), value);
    }
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException(
            "Unexpected argument '" + args[i] + "': options look like --key value");
      }
      String key = args[i].substring(2);
      if (!values.containsKey(key)) {
        throw new IllegalArgumentException(
            "Unknown option --" + key + "; known: " + values.keySet());
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("Option --" + key + " needs a value");
      }
      values.put(key, args[++i]);
    }
    return new JobConfig(values);
  }

  /** Defaults only, with the given overrides (for embedding). */
  public static JobConfig of(Map<String, String> overrides) {
    JobConfig config = fromArgs(new String[0]);
    Map<String, String> values = new LinkedHashMap<>(config.values);
    overrides.forEach(
        (key, value) -> {
          if (!values.containsKey(key)) {
            throw new IllegalArgumentException(
                "Unknown option " + key + "; known: " + values.keySet());
          }
          values.put(key, value);
        });
    return new JobConfig(values);
  }

  public String bootstrapServers() {
    return get(BOOTSTRAP_SERVERS, Function.identity());
  }

  public String schemaRegistryUrl() {
    return get(SCHEMA_REGISTRY_URL, Function.identity());
  }

  /** How the job's decoder and serializers reach the registry, credentials included. */
  public RegistryClientSettings registryClientSettings() {
    return new RegistryClientSettings(
        schemaRegistryUrl(),
        get(SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO, Function.identity()),
        get(SCHEMA_REGISTRY_TRUSTSTORE_LOCATION, Function.identity()),
        get(SCHEMA_REGISTRY_TRUSTSTORE_PASSWORD, Function.identity()));
  }

  public String groupId() {
    return get(GROUP_ID, Function.identity());
  }

  public int parallelism() {
    return positive(PARALLELISM, get(PARALLELISM, Integer::parseInt));
  }

  public int maxPendingShots() {
    return positive(MAX_PENDING_SHOTS, get(MAX_PENDING_SHOTS, Integer::parseInt));
  }

  public long pendingTimeoutMs() {
    return get(PENDING_TIMEOUT_MS, Long::parseLong);
  }

  public long stallTimeoutMs() {
    return get(STALL_TIMEOUT_MS, Long::parseLong);
  }

  public long dedupTtlMs() {
    return get(DEDUP_TTL_MS, Long::parseLong);
  }

  public long maxOutOfOrdernessMs() {
    return get(MAX_OUT_OF_ORDERNESS_MS, Long::parseLong);
  }

  public long idlenessMs() {
    return get(IDLENESS_MS, Long::parseLong);
  }

  public long allowedLatenessMs() {
    return get(ALLOWED_LATENESS_MS, Long::parseLong);
  }

  public long maxFutureSkewMs() {
    return nonNegative(MAX_FUTURE_SKEW_MS, get(MAX_FUTURE_SKEW_MS, Long::parseLong));
  }

  public int histogramEveryEpochs() {
    return (int)
        nonNegative(HISTOGRAM_EVERY_EPOCHS, get(HISTOGRAM_EVERY_EPOCHS, Integer::parseInt));
  }

  public int maxEpochJump() {
    return (int) nonNegative(MAX_EPOCH_JUMP, get(MAX_EPOCH_JUMP, Integer::parseInt));
  }

  public int histogramMaxOutcomes() {
    return positive(HISTOGRAM_MAX_OUTCOMES, get(HISTOGRAM_MAX_OUTCOMES, Integer::parseInt));
  }

  public int maxStateQubits() {
    int value = positive(MAX_STATE_QUBITS, get(MAX_STATE_QUBITS, Integer::parseInt));
    if (value > 30) {
      throw new IllegalArgumentException(
          "Option " + MAX_STATE_QUBITS.key() + " must be <= 30, got " + value);
    }
    return value;
  }

  /** The extra bipartitions of {@link #STATE_CUTS}, each a list of distinct qubit indices. */
  public List<int[]> stateCuts() {
    return get(STATE_CUTS, JobConfig::cuts);
  }

  static List<int[]> cuts(String raw) {
    List<int[]> cuts = new ArrayList<>();
    if (raw.isBlank() || raw.trim().equals("none")) {
      return List.of();
    }
    for (String cut : raw.split(";")) {
      if (cut.isBlank()) {
        continue;
      }
      String[] parts = cut.split(",");
      int[] qubits = new int[parts.length];
      Set<Integer> seen = new HashSet<>();
      for (int i = 0; i < parts.length; i++) {
        qubits[i] = Integer.parseInt(parts[i].trim());
        if (qubits[i] < 0 || qubits[i] >= 30) {
          throw new IllegalArgumentException(
              "qubit index " + qubits[i] + " in cut '" + cut.trim() + "' is outside [0, 29]");
        }
        if (!seen.add(qubits[i])) {
          throw new IllegalArgumentException(
              "qubit " + qubits[i] + " appears twice in cut '" + cut.trim() + "'");
        }
      }
      cuts.add(qubits);
    }
    return List.copyOf(cuts);
  }

  public int windowEpochs() {
    return positive(WINDOW_EPOCHS, get(WINDOW_EPOCHS, Integer::parseInt));
  }

  public int windowSlide() {
    return positive(WINDOW_SLIDE, get(WINDOW_SLIDE, Integer::parseInt));
  }

  public int adviceSmoothingEpochs() {
    return positive(ADVICE_SMOOTHING_EPOCHS, get(ADVICE_SMOOTHING_EPOCHS, Integer::parseInt));
  }

  public int advicePlateauEpochs() {
    return positive(ADVICE_PLATEAU_EPOCHS, get(ADVICE_PLATEAU_EPOCHS, Integer::parseInt));
  }

  public int adviceQganPlateauEpochs() {
    return positive(ADVICE_QGAN_PLATEAU_EPOCHS, get(ADVICE_QGAN_PLATEAU_EPOCHS, Integer::parseInt));
  }

  public double adviceCollapseFraction() {
    return fraction(ADVICE_COLLAPSE_FRACTION);
  }

  public double adviceQganCollapseFraction() {
    return fraction(ADVICE_QGAN_COLLAPSE_FRACTION);
  }

  /**
   * The advice stage's rules by model type: k, W and the collapse fractions from this configuration
   * (qGANs with their own W and fraction), the rest the library defaults.
   */
  public AdviceSettingsByModel adviceSettings() {
    return new AdviceSettingsByModel(
        adviceSettings(AdviceSettings.DEFAULTS, advicePlateauEpochs(), adviceCollapseFraction()),
        adviceSettings(
            AdviceSettings.QGAN_DEFAULTS, adviceQganPlateauEpochs(), adviceQganCollapseFraction()));
  }

  private AdviceSettings adviceSettings(
      AdviceSettings defaults, int plateauEpochs, double collapseFraction) {
    return new AdviceSettings(
        adviceSmoothingEpochs(),
        plateauEpochs,
        defaults.divergeEpochs(),
        defaults.collapseEpochs(),
        collapseFraction,
        defaults.barrenProgress(),
        defaults.divergeLoss());
  }

  private double fraction(Option option) {
    double value = get(option, Double::parseDouble);
    if (!(value > 0.0 && value < 1.0)) {
      throw new IllegalArgumentException(
          "Option " + option.key() + " must be between 0 and 1 (exclusive), got " + value);
    }
    return value;
  }

  public String detectors() {
    return get(DETECTORS, Function.identity());
  }

  /** True for exactly-once (transactional) sinks. */
  public boolean exactlyOnce() {
    String value = get(DELIVERY_GUARANTEE, Function.identity());
    return switch (value) {
      case "exactly-once" -> true;
      case "at-least-once" -> false;
      default ->
          throw new IllegalArgumentException(
              "Option job.delivery-guarantee = '"
                  + value
                  + "' must be at-least-once or exactly-once");
    };
  }

  public long bufferTimeoutMs() {
    return get(BUFFER_TIMEOUT_MS, Long::parseLong);
  }

  public long checkpointIntervalMs() {
    return get(CHECKPOINT_INTERVAL_MS, Long::parseLong);
  }

  /**
   * Restarts in a row before the job fails; 0 for none (the first failure ends the job), {@link
   * Integer#MAX_VALUE} for unlimited.
   */
  public int restartAttempts() {
    return (int)
        nonNegative(
            RESTART_ATTEMPTS,
            get(
                RESTART_ATTEMPTS,
                v -> v.equals("unlimited") ? Integer.MAX_VALUE : Integer.parseInt(v)));
  }

  /** The checkpoint folder URI, empty for the cluster's own. */
  public Optional<String> checkpointDir() {
    String dir = get(CHECKPOINT_DIR, String::trim);
    return dir.isEmpty() ? Optional.empty() : Optional.of(dir);
  }

  public int tolerableCheckpointFailures() {
    int value = get(TOLERABLE_CHECKPOINT_FAILURES, Integer::parseInt);
    if (value < 0) {
      throw new IllegalArgumentException(
          "Option " + TOLERABLE_CHECKPOINT_FAILURES.key() + " must be >= 0, got " + value);
    }
    return value;
  }

  /** Flink's name of the state backend: {@code hashmap} or {@code rocksdb}. */
  public String stateBackend() {
    String value = get(STATE_BACKEND, String::trim);
    if (!value.equals("hashmap") && !value.equals("rocksdb")) {
      throw new IllegalArgumentException(
          "Option " + STATE_BACKEND.key() + " = '" + value + "' must be hashmap or rocksdb");
    }
    return value;
  }

  public long restartInitialBackoffMs() {
    return positiveLong(
        RESTART_INITIAL_BACKOFF_MS, get(RESTART_INITIAL_BACKOFF_MS, Long::parseLong));
  }

  public long restartMaxBackoffMs() {
    return positiveLong(RESTART_MAX_BACKOFF_MS, get(RESTART_MAX_BACKOFF_MS, Long::parseLong));
  }

  public double restartBackoffMultiplier() {
    double value = get(RESTART_BACKOFF_MULTIPLIER, Double::parseDouble);
    if (!(value >= 1.0)) {
      throw new IllegalArgumentException(
          "Option " + RESTART_BACKOFF_MULTIPLIER.key() + " must be >= 1, got " + value);
    }
    return value;
  }

  public long restartResetBackoffThresholdMs() {
    return positiveLong(
        RESTART_RESET_BACKOFF_THRESHOLD_MS,
        get(RESTART_RESET_BACKOFF_THRESHOLD_MS, Long::parseLong));
  }

  public double restartJitter() {
    double value = get(RESTART_JITTER, Double::parseDouble);
    if (!(value >= 0.0 && value <= 1.0)) {
      throw new IllegalArgumentException(
          "Option " + RESTART_JITTER.key() + " must be between 0 and 1, got " + value);
    }
    return value;
  }

  /** Extra settings of the sources' Kafka consumers: the properties file, then the option. */
  public Map<String, String> consumerProperties() {
    Map<String, String> props = kafkaFileProperties();
    props.putAll(get(CONSUMER_PROPERTIES, JobConfig::keyValues));
    return props;
  }

  /** Extra settings of the sinks' Kafka producers: the properties file, then the option. */
  public Map<String, String> producerProperties() {
    Map<String, String> props = kafkaFileProperties();
    props.putAll(get(PRODUCER_PROPERTIES, JobConfig::keyValues));
    return props;
  }

  /** The settings of {@code kafka.properties-file} (none when unset), in the file's order. */
  public Map<String, String> kafkaFileProperties() {
    return get(KAFKA_PROPERTIES_FILE, JobConfig::readPropertiesFile);
  }

  static Map<String, String> readPropertiesFile(String location) {
    Map<String, String> props = new LinkedHashMap<>();
    if (location.isBlank()) {
      return props;
    }
    Properties file = new Properties();
    try (Reader in = Files.newBufferedReader(Path.of(location.trim()), StandardCharsets.UTF_8)) {
      file.load(in);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + location + ": " + e, e);
    }
    file.stringPropertyNames().stream().sorted().forEach(k -> props.put(k, file.getProperty(k)));
    return props;
  }

  /**
   * Parses {@code a=1,b=2} (blank is none); a pair without '=' is refused. A value may contain '='
   * (only the first one separates); a comma splits pairs except inside double quotes (kept in the
   * value, as a JAAS configuration needs them) or escaped as {@code \,} ({@code \\} is a backslash)
   * outside quotes.
   */
  static Map<String, String> keyValues(String raw) {
    Map<String, String> pairs = new LinkedHashMap<>();
    StringBuilder pair = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (quoted) {
        pair.append(c);
        if (c == '\\' && i + 1 < raw.length()) {
          pair.append(raw.charAt(++i));
        } else if (c == '"') {
          quoted = false;
        }
      } else if (c == '\\' && i + 1 < raw.length()) {
        pair.append(raw.charAt(++i));
      } else if (c == '"') {
        quoted = true;
        pair.append(c);
      } else if (c == ',') {
        addPair(pairs, pair.toString());
        pair.setLength(0);
      } else {
        pair.append(c);
      }
    }
    if (quoted) {
      throw new IllegalArgumentException("a double quote is not closed");
    }
    addPair(pairs, pair.toString());
    return pairs;
  }

  private static void addPair(Map<String, String> pairs, String pair) {
    if (pair.isBlank()) {
      return;
    }
    int eq = pair.indexOf('=');
    if (eq <= 0) {
      throw new IllegalArgumentException(
          "'" + Redaction.keyValueText(pair.trim()) + "' is not key=value");
    }
    pairs.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
  }

  private <T> T get(Option option, Function<String, T> parse) {
    String raw = values.get(option.key());
    try {
      return parse.apply(raw);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "Option "
              + option.key()
              + " = '"
              + printable(option.key(), raw)
              + "' is not valid: "
              + Redaction.keyValueText(e.getMessage()),
          e);
    }
  }

  private static long positiveLong(Option option, long value) {
    if (value < 1) {
      throw new IllegalArgumentException("Option " + option.key() + " must be >= 1, got " + value);
    }
    return value;
  }

  private static int positive(Option option, int value) {
    if (value < 1) {
      throw new IllegalArgumentException("Option " + option.key() + " must be >= 1, got " + value);
    }
    return value;
  }

  private static long nonNegative(Option option, long value) {
    if (value < 0) {
      throw new IllegalArgumentException("Option " + option.key() + " must be >= 0, got " + value);
    }
    return value;
  }

  /** A value as it may be logged or echoed: secrets redacted, pass-through secrets too. */
  private static String printable(String key, String value) {
    if (key.equals(CONSUMER_PROPERTIES.key()) || key.equals(PRODUCER_PROPERTIES.key())) {
      return Redaction.keyValueText(value);
    }
    return Redaction.value(key, value);
  }

  /** Every value, with secrets redacted: safe to log. */
  @Override
  public String toString() {
    Map<String, String> safe = new LinkedHashMap<>();
    values.forEach((key, value) -> safe.put(key, printable(key, value)));
    return "JobConfig" + safe;
  }
}
