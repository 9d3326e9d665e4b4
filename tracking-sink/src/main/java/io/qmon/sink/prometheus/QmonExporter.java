package io.qmon.sink.prometheus;

import static io.qmon.sink.prometheus.ExporterMetricNames.RUN_ID;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.StatefulMetric;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.qmon.schemas.Alert;
import io.qmon.schemas.DeadLetter;
import io.qmon.schemas.MetricRecord;
import io.qmon.schemas.RunEvent;
import io.qmon.schemas.RunFinished;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the job's output records into Prometheus series: per active run a gauge per metric and per
 * shot-noise floor (label {@code run_id} only), counters of records, dead letters, alerts and
 * finished runs, and end-to-end latency histograms. A run's series go when it finishes, when it is
 * idle longer than the TTL, and new runs beyond the cap are counted as dropped. Called from one
 * consumer thread; scrapes read concurrently through the thread-safe metric objects.
 */
public final class QmonExporter {
  private static final Logger LOG = LoggerFactory.getLogger(QmonExporter.class);
  private static final double[] LATENCY_BUCKETS = {
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300
  };

  private final PrometheusRegistry registry;
  private final LongSupplier clock;
  private final ActiveRuns activeRuns;
  private final Map<String, Gauge> valueGauges = new HashMap<>();
  private final Map<String, Gauge> floorGauges = new HashMap<>();
  private final List<StatefulMetric<?, ?>> perRunMetrics = new ArrayList<>();
  private final Gauge epoch;
  private final Gauge shots;
  private final Gauge activeRunCount;
  private final Counter records;
  private final Counter decodeErrors;
  private final Counter deadLetters;
  private final Counter alerts;
  private final Counter runsFinished;
  private final Counter droppedRecords;
  private final Counter expiredRuns;
  private final Counter unknownMetrics;
  private final Histogram pipelineLatency;
  private final Histogram sinkLatency;
  private final BoundedLabel errorTypes = new BoundedLabel(64);
  private final BoundedLabel detectors = new BoundedLabel(64);

  /**
   * @param registry where the series are registered (one exporter per registry)
   * @param maxActiveRuns cap on runs with series
   * @param runTtl idle time after which a run's series are removed
   * @param clock current time in epoch milliseconds
   */
  public QmonExporter(
      PrometheusRegistry registry, int maxActiveRuns, Duration runTtl, LongSupplier clock) {
    this.registry = registry;
    this.clock = clock;
    this.activeRuns = new ActiveRuns(maxActiveRuns, runTtl.toMillis(), clock);
    for (RunSeries series : RunSeries.ALL) {
      valueGauges.put(series.metric(), runGauge(series.valueName(), series.help() + "."));
      floorGauges.put(
          series.metric(),
          runGauge(series.floorName(), "Shot-noise floor of " + series.valueName() + "."));
    }
    epoch = runGauge(ExporterMetricNames.RUN_EPOCH, "Latest epoch scored for the run.");
    shots = runGauge(ExporterMetricNames.RUN_SHOTS, "Shots per epoch of the run.");
    activeRunCount =
        Gauge.builder()
            .name(ExporterMetricNames.ACTIVE_RUNS)
            .help("Runs that currently have series.")
            .register(registry);
    records =
        counter(ExporterMetricNames.RECORDS, "Records consumed from the job's topics.", "topic");
    decodeErrors =
        counter(ExporterMetricNames.DECODE_ERRORS, "Records that could not be decoded.", "topic");
    deadLetters =
        counter(ExporterMetricNames.DEAD_LETTERS, "Rejected inputs on qgm.dlq.", "error_type");
    alerts =
        counter(
            ExporterMetricNames.ALERTS, "Alerts on qgm.alerts.", "detector", "severity", "state");
    runsFinished = counter(ExporterMetricNames.RUNS_FINISHED, "Runs finished.", "status");
    droppedRecords =
        counter(
            ExporterMetricNames.DROPPED_RECORDS,
            "Metric records not exported because the active-run cap was reached.");
    expiredRuns = counter(ExporterMetricNames.EXPIRED_RUNS, "Runs removed after the idle TTL.");
    unknownMetrics =
        counter(ExporterMetricNames.UNKNOWN_METRICS, "Metric keys without an exported series.");
    pipelineLatency =
        latency(ExporterMetricNames.PIPELINE_LATENCY, "Event time to job processing time.");
    sinkLatency =
        latency(ExporterMetricNames.SINK_LATENCY, "Job processing time to arrival at the sink.");
  }

  /** The registry the scrape endpoint serves. */
  public PrometheusRegistry registry() {
    return registry;
  }

  /** Updates the run's gauges from a metric record and observes its latencies. */
  public void onMetricRecord(MetricRecord record) {
    records.labelValues("qgm.metrics").inc();
    long now = clock.getAsLong();
    pipelineLatency.observe(
        seconds(record.getProcessedTime().toEpochMilli() - record.getEventTime().toEpochMilli()));
    sinkLatency.observe(seconds(now - record.getProcessedTime().toEpochMilli()));
    String runId = record.getRunId();
    if (!activeRuns.touch(runId)) {
      droppedRecords.inc();
      return;
    }
    activeRunCount.set(activeRuns.size());
    epoch.labelValues(runId).set(record.getLastEpoch());
    shots.labelValues(runId).set(record.getShots());
    record
        .getMetrics()
        .forEach(
            (name, value) -> {
              Gauge gauge = valueGauges.get(name);
              if (gauge == null) {
                unknownMetrics.inc();
              } else {
                gauge.labelValues(runId).set(value);
              }
            });
    record
        .getNoiseFloors()
        .forEach(
            (name, value) -> {
              Gauge gauge = floorGauges.get(name);
              if (gauge != null) {
                gauge.labelValues(runId).set(value);
              }
            });
  }

  /** Counts the event; a finished run's series are removed. */
  public void onRunEvent(RunEvent event) {
    records.labelValues("qgm.runs").inc();
    if (event.getPayload() instanceof RunFinished finished) {
      runsFinished.labelValues(finished.getStatus().name()).inc();
      removeRun(event.getRunId());
    }
  }

  /** Counts the dead letter by its error type. */
  public void onDeadLetter(DeadLetter letter) {
    records.labelValues("qgm.dlq").inc();
    deadLetters.labelValues(errorTypes.value(letter.getErrorType())).inc();
  }

  /** Counts the alert by detector, severity and state. */
  public void onAlert(Alert alert) {
    records.labelValues("qgm.alerts").inc();
    alerts
        .labelValues(
            detectors.value(alert.getDetector()),
            alert.getSeverity().name(),
            alert.getState().name())
        .inc();
  }

  /** Counts a record of the topic that could not be decoded. */
  public void onDecodeError(String topic) {
    decodeErrors.labelValues(topic).inc();
  }

  /** Removes the series of runs idle longer than the TTL; returns how many went. */
  public int expireIdleRuns() {
    List<String> expired = activeRuns.expire();
    for (String runId : expired) {
      LOG.info("Removing series of run {}: no metric record within the TTL", runId);
      removeSeries(runId);
      expiredRuns.inc();
    }
    if (!expired.isEmpty()) {
      activeRunCount.set(activeRuns.size());
    }
    return expired.size();
  }

  /** Runs that currently have series. */
  public int activeRunCount() {
    return activeRuns.size();
  }

  private void removeRun(String runId) {
    if (activeRuns.remove(runId)) {
      removeSeries(runId);
      activeRunCount.set(activeRuns.size());
    }
  }

  private void removeSeries(String runId) {
    for (StatefulMetric<?, ?> metric : perRunMetrics) {
      metric.remove(runId);
    }
  }

  private Gauge runGauge(String name, String help) {
    Gauge gauge = Gauge.builder().name(name).help(help).labelNames(RUN_ID).register(registry);
    perRunMetrics.add(gauge);
    return gauge;
  }

  private Counter counter(String name, String help, String... labels) {
    return Counter.builder().name(name).help(help).labelNames(labels).register(registry);
  }

  private Histogram latency(String name, String help) {
    return Histogram.builder()
        .name(name)
        .help(help)
        .classicOnly()
        .classicUpperBounds(LATENCY_BUCKETS)
        .register(registry);
  }

  private static double seconds(long millis) {
    return Math.max(0, millis) / 1000.0;
  }
}
