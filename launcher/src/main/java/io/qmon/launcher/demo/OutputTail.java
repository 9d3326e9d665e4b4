package io.qmon.launcher.demo;

import io.qmon.metrics.MetricNames;
import io.qmon.schemas.Advice;
import io.qmon.schemas.Alert;
import io.qmon.schemas.AlertState;
import io.qmon.schemas.DeadLetter;
import io.qmon.schemas.MetricRecord;
import io.qmon.schemas.MetricScope;
import io.qmon.schemas.Severity;
import io.qmon.schemas.SweepSummary;
import io.qmon.schemas.Topics;
import io.qmon.schemas.serde.ConfluentAvroSerde;
import io.qmon.schemas.serde.SchemaRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Follows the job's output topics (metrics, alerts, advice, dead letters and sweep summaries) and
 * keeps, per run, what the demo's live table shows, and per sweep configuration its latest summary.
 * Deduplicates metric records by their deterministic id.
 */
final class OutputTail implements Runnable, AutoCloseable {
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final ConfluentAvroSerde<MetricRecord> metrics;
  private final ConfluentAvroSerde<DeadLetter> deadLetters;
  private final ConfluentAvroSerde<Alert> alerts;
  private final ConfluentAvroSerde<Advice> advice;
  private final ConfluentAvroSerde<SweepSummary> sweeps;
  private final Map<String, SweepSummary> sweepsByConfig = new ConcurrentHashMap<>();
  private final Map<String, Long> alertsByDetector = new ConcurrentHashMap<>();
  private final Map<String, RunView> runs = new ConcurrentHashMap<>();
  private final Map<String, Long> deadLettersByType = new ConcurrentHashMap<>();
  private final AtomicLong firstMetricAtNanos = new AtomicLong();
  private final AtomicLong metricRecords = new AtomicLong();
  private volatile boolean stopping;

  /** What the table shows of one run. */
  static final class RunView {
    final String runId;
    final java.util.Set<Integer> epochs = ConcurrentHashMap.newKeySet();
    volatile int qubits;
    volatile int lastEpoch;
    volatile double jsd = Double.NaN;
    volatile double fidelity = Double.NaN;
    volatile double entropy = Double.NaN;
    volatile double firstJsd = Double.NaN;
    volatile double bestJsd = Double.POSITIVE_INFINITY;
    volatile int bestEpoch;

    /** The WARNING-or-above alerts firing now, detector → "DETECTOR SEVERITY @epoch". */
    final Map<String, String> firing = new ConcurrentHashMap<>();

    /** Every WARNING-or-above alert that fired, as "detector@epoch". */
    final java.util.Queue<String> warnings = new java.util.concurrent.ConcurrentLinkedQueue<>();

    /** Every INFO progress alert that fired, by detector. */
    final java.util.Queue<String> progress = new java.util.concurrent.ConcurrentLinkedQueue<>();

    /** The advice the job published for the run, in order. */
    final java.util.Queue<Advice> advice = new java.util.concurrent.ConcurrentLinkedQueue<>();

    RunView(String runId) {
      this.runId = runId;
    }
  }

  OutputTail(String bootstrapServers, SchemaRegistry registry) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "qmon-demo-tail-" + System.nanoTime());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    metrics = new ConfluentAvroSerde<>(registry, MetricRecord.SCHEMA$);
    deadLetters = new ConfluentAvroSerde<>(registry, DeadLetter.SCHEMA$);
    alerts = new ConfluentAvroSerde<>(registry, Alert.SCHEMA$);
    advice = new ConfluentAvroSerde<>(registry, Advice.SCHEMA$);
    sweeps = new ConfluentAvroSerde<>(registry, SweepSummary.SCHEMA$);
  }

  @Override
  public void run() {
    consumer.subscribe(
        List.of(Topics.METRICS, Topics.DLQ, Topics.ALERTS, Topics.ADVICE, Topics.SWEEPS));
    while (!stopping) {
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
        if (record.topic().equals(Topics.METRICS)) {
          onMetric(metrics.deserialize(record.value()));
        } else if (record.topic().equals(Topics.ALERTS)) {
          Alert alert = alerts.deserialize(record.value());
          if (alert.getState() == AlertState.FIRING) {
            alertsByDetector.merge(alert.getDetector(), 1L, Long::sum);
          }
          onAlert(alert);
        } else if (record.topic().equals(Topics.ADVICE)) {
          Advice a = advice.deserialize(record.value());
          runs.computeIfAbsent(a.getRunId(), RunView::new).advice.add(a);
        } else if (record.topic().equals(Topics.SWEEPS)) {
          // Keyed by experiment/config: the latest record of a configuration is its current row.
          SweepSummary summary = sweeps.deserialize(record.value());
          sweepsByConfig.put(summary.getConfigId(), summary);
        } else {
          deadLettersByType.merge(
              deadLetters.deserialize(record.value()).getErrorType(), 1L, Long::sum);
        }
      }
    }
    consumer.close(Duration.ofSeconds(5));
  }

  private void onAlert(Alert alert) {
    RunView view = runs.computeIfAbsent(alert.getRunId(), RunView::new);
    boolean info = alert.getSeverity() == Severity.INFO;
    if (alert.getState() == AlertState.RESOLVED) {
      view.firing.remove(alert.getDetector());
    } else if (info) {
      view.progress.add(alert.getDetector());
    } else {
      view.warnings.add(alert.getDetector() + "@" + alert.getEpoch());
      view.firing.put(
          alert.getDetector(),
          alert.getDetector() + " " + alert.getSeverity() + " @" + alert.getEpoch());
    }
  }

  private void onMetric(MetricRecord record) {
    if (record.getScope() != MetricScope.EPOCH) {
      return;
    }
    firstMetricAtNanos.compareAndSet(0, System.nanoTime());
    RunView view = runs.computeIfAbsent(record.getRunId(), RunView::new);
    if (!view.epochs.add(record.getLastEpoch())) {
      return;
    }
    metricRecords.incrementAndGet();
    Map<String, Double> values = record.getMetrics();
    double jsd = values.get(MetricNames.JSD);
    view.qubits = record.getQubits();
    if (record.getLastEpoch() >= view.lastEpoch) {
      view.lastEpoch = record.getLastEpoch();
      view.jsd = jsd;
      view.fidelity = values.get(MetricNames.FIDELITY);
      view.entropy = values.get(MetricNames.ENTROPY_BITS);
    }
    if (Double.isNaN(view.firstJsd) || record.getLastEpoch() == 1) {
      view.firstJsd = jsd;
    }
    if (jsd < view.bestJsd) {
      view.bestJsd = jsd;
      view.bestEpoch = record.getLastEpoch();
    }
  }

  Map<String, RunView> runs() {
    return new TreeMap<>(runs);
  }

  /** Alerts fired so far, by detector. */
  Map<String, Long> alertsByDetector() {
    return new TreeMap<>(alertsByDetector);
  }

  /** The latest summary of each sweep configuration seen, by config id. */
  Map<String, SweepSummary> sweeps() {
    return new TreeMap<>(sweepsByConfig);
  }

  Map<String, Long> deadLettersByType() {
    return new TreeMap<>(deadLettersByType);
  }

  long deadLetterCount() {
    return deadLettersByType.values().stream().mapToLong(Long::longValue).sum();
  }

  long metricRecords() {
    return metricRecords.get();
  }

  /** System.nanoTime() of the first metric record, or 0 before it. */
  long firstMetricAtNanos() {
    return firstMetricAtNanos.get();
  }

  @Override
  public void close() {
    stopping = true;
  }
}
