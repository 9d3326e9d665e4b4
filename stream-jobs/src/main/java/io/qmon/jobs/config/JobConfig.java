package io.qmon.jobs.config;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
          "jsd-zscore,stalled,mode-collapse",
          "Anomaly detectors to run per run: jsd-zscore, jsd-ewma, jsd-cusum, jsd-noise-floor,"
              + " stalled, mode-collapse; each may take parameters, e.g."
              + " jsd-zscore(z=5;window=100),stalled(patience=50).");
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
              + " consumer config, security included). The defaults batch fetches under load and"
              + " add at most fetch.max.wait.ms of latency when the input is quiet.");
  public static final Option PRODUCER_PROPERTIES =
      new Option(
          "kafka.producer-properties",
          "linger.ms=10,batch.size=1048576,compression.type=lz4",
          "Kafka producer settings of the sinks, as comma-separated key=value pairs (any"
              + " producer config, security included). Larger batches cost the broker far less"
              + " per record.");
  public static final Option RESTART_ATTEMPTS =
      new Option(
          "job.restart-attempts",
          "10",
          "Restarts (2 s apart) before a failing job gives up; it resumes from its last checkpoint.");

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
    HISTOGRAM_MAX_OUTCOMES,
    MAX_STATE_QUBITS,
    STATE_CUTS,
    WINDOW_EPOCHS,
    WINDOW_SLIDE,
    DETECTORS,
    DELIVERY_GUARANTEE,
    BUFFER_TIMEOUT_MS,
    CHECKPOINT_INTERVAL_MS,
    RESTART_ATTEMPTS,
    CONSUMER_PROPERTIES,
    PRODUCER_PROPERTIES
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

  public int restartAttempts() {
    return get(RESTART_ATTEMPTS, Integer::parseInt);
  }

  /** Extra settings of the sources' Kafka consumers. */
  public Map<String, String> consumerProperties() {
    return get(CONSUMER_PROPERTIES, JobConfig::keyValues);
  }

  /** Extra settings of the sinks' Kafka producers. */
  public Map<String, String> producerProperties() {
    return get(PRODUCER_PROPERTIES, JobConfig::keyValues);
  }

  /** Parses {@code a=1,b=2} (blank is none); a pair without '=' is refused. */
  static Map<String, String> keyValues(String raw) {
    Map<String, String> pairs = new LinkedHashMap<>();
    for (String pair : raw.split(",")) {
      if (pair.isBlank()) {
        continue;
      }
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("'" + pair.trim() + "' is not key=value");
      }
      pairs.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
    }
    return pairs;
  }

  private <T> T get(Option option, Function<String, T> parse) {
    String raw = values.get(option.key());
    try {
      return parse.apply(raw);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "Option " + option.key() + " = '" + raw + "' is not valid: " + e.getMessage(), e);
    }
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

  @Override
  public String toString() {
    return "JobConfig" + values;
  }
}
