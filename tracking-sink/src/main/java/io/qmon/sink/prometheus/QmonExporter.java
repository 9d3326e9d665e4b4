package io.qmon.sink.prometheus;

import static io.qmon.sink.prometheus.ExporterMetricNames.CONFIG_ID;
import static io.qmon.sink.prometheus.ExporterMetricNames.EXPERIMENT;
import static io.qmon.sink.prometheus.ExporterMetricNames.RUN_ID;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.StatefulMetric;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.qmon.metrics.MetricNames;
import io.qmon.schemas.Alert;
import io.qmon.schemas.DeadLetter;
import io.qmon.schemas.MetricRecord;
import io.qmon.schemas.MetricScope;
import io.qmon.schemas.SweepSummary;
import io.qmon.schemas.Topics;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Turns the job's output records into Prometheus series: per active run a gauge per metric of its
 * EPOCH and STATE records and per shot-noise floor (labels {@code run_id}, {@code experiment},
 * {@code config_id}), the producer's losses as one family {@code qmon_run_loss{..., loss}} (the
 * {@code loss} label bounded), the run's firing alerts ({@code qmon_alert_firing}), per sweep
 * configuration its μ, σ and 95% CI from qgm.sweeps, counters of records, dead letters, alerts and
 * closed runs, and end-to-end latency histograms. A run gets series with its first record and loses
 * them a retention after its RUN_CLOSED record, never by a timer of inactivity; new runs beyond the
 * cap are counted as dropped. The retention is there because the job often writes a short run's
 * records and its RUN_CLOSED within one scrape interval (all at once when a checkpoint commits
 * them): removed at once, such a run would never be scraped. Its firing alerts go at once. Called
 * from one consumer thread; scrapes read concurrently through the thread-safe metric objects.
 */
public final class QmonExporter {
  private static final double[] LATENCY_BUCKETS = {
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300
  };

  /** Distinct loss names exported (over all runs); further names share the {@code other} value. */
  static final int MAX_LOSS_NAMES = 32;

  /** Closed runs remembered, so their late records do not bring their series back. */
  static final int REMEMBERED_CLOSED_RUNS = 100_000;

  /** Sweep configurations with series; the least recently updated one beyond it loses them. */
  static final int MAX_SWEEP_CONFIGURATIONS = 500;

  /** Distinct metric names of sweep statistics; further names share {@code other}. */
  static final int MAX_SWEEP_METRICS = 64;

  private final PrometheusRegistry registry;
  private final LongSupplier clock;
  private final long closedRunRetentionMs;
  private final int maxActiveRuns;

  /** Closed runs whose series are still served, oldest first, with when they go. */
  private final ArrayDeque<Closed> closing = new ArrayDeque<>();

  private record Closed(String runId, long removeAt) {}

  private final ActiveRuns activeRuns;
  private final Map<String, Gauge> valueGauges = new HashMap<>();
  private final Map<String, Gauge> floorGauges = new HashMap<>();
  private final List<StatefulMetric<?, ?>> perRunMetrics = new ArrayList<>();
  private final Gauge epoch;
  private final Gauge shots;
  private final Gauge loss;
  private final Gauge activeRunCount;
  private final Counter records;
  private final Counter decodeErrors;
  private final Counter deadLetters;
  private final Counter alerts;
  private final Counter runsFinished;
  private final Counter droppedRecords;
  private final Counter lateRecords;
  private final Counter unknownMetrics;
  private final Gauge alertFiring;
  private final Gauge sweepRuns;
  private final Gauge sweepRank;
  private final Map<String, Gauge> sweepStatistics = new LinkedHashMap<>();
  private final SweepConfigurations sweepConfigurations;
  private final RunLabels runLabels;
  private final Histogram pipelineLatency;
  private final Histogram sinkLatency;
  private final BoundedLabel errorTypes = new BoundedLabel(64);
  private final BoundedLabel detectors = new BoundedLabel(64);
  private final BoundedLabel lossNames = new BoundedLabel(MAX_LOSS_NAMES);
  private final BoundedLabel alertMetrics = new BoundedLabel(64);
  private final BoundedLabel sweepMetrics = new BoundedLabel(MAX_SWEEP_METRICS);

  /**
   * @param registry where the series are registered (one exporter per registry)
   * @param maxActiveRuns cap on open runs with series (as many closed ones may still be served)
   * @param closedRunRetention how long a closed run's series are still served (zero: not at all)
   * @param clock current time in epoch milliseconds (for the sink latency and the retention)
   */
  public QmonExporter(
      PrometheusRegistry registry,
      int maxActiveRuns,
      Duration closedRunRetention,
      LongSupplier clock) {
    if (closedRunRetention.isNegative()) {
      throw new IllegalArgumentException(
          "closedRunRetention must not be negative, was " + closedRunRetention);
    }
    this.registry = registry;
    this.clock = clock;
    this.closedRunRetentionMs = closedRunRetention.toMillis();
    this.maxActiveRuns = maxActiveRuns;
    this.activeRuns = new ActiveRuns(maxActiveRuns, REMEMBERED_CLOSED_RUNS);
    this.runLabels = new RunLabels(4 * maxActiveRuns);
    for (RunSeries series : RunSeries.ALL) {
      valueGauges.put(series.metric(), runGauge(series.valueName(), series.help() + "."));
      if (series.floor()) {
        floorGauges.put(
            series.metric(),
            runGauge(series.floorName(), "Shot-noise floor of " + series.valueName() + "."));
      }
    }
    epoch = runGauge(ExporterMetricNames.RUN_EPOCH, "Latest epoch scored for the run.");
    shots = runGauge(ExporterMetricNames.RUN_SHOTS, "Shots per epoch of the run.");
    loss =
        runGauge(
            ExporterMetricNames.RUN_LOSS,
            "Latest value of each loss the producer reports (loss.<name> in EPOCH records).",
            ExporterMetricNames.LOSS);
    alertFiring =
        runGauge(
            ExporterMetricNames.ALERT_FIRING,
            "1 while an alert of the run fires (from qgm.alerts); gone when it resolves or the run"
                + " closes.",
            "detector",
            "metric",
            "severity");
    sweepRuns =
        Gauge.builder()
            .name(ExporterMetricNames.SWEEP_RUNS)
            .help("Finished repeats aggregated per sweep configuration (qgm.sweeps).")
            .labelNames(EXPERIMENT, CONFIG_ID)
            .register(registry);
    sweepRank =
        Gauge.builder()
            .name(ExporterMetricNames.SWEEP_RANK)
            .help("Rank of the configuration in its experiment, 1 = lowest mean final JSD.")
            .labelNames(EXPERIMENT, CONFIG_ID)
            .register(registry);
    for (String statistic : ExporterMetricNames.SWEEP_STATISTICS) {
      sweepStatistics.put(
          statistic,
          Gauge.builder()
              .name(ExporterMetricNames.SWEEP_PREFIX + statistic)
              .help(
                  "Sweep statistic "
                      + statistic
                      + " of each summary metric over the configuration's repeats.")
              .labelNames(EXPERIMENT, CONFIG_ID, "metric")
              .register(registry));
    }
    sweepConfigurations = new SweepConfigurations(MAX_SWEEP_CONFIGURATIONS);
    activeRunCount =
        Gauge.builder()
            .name(ExporterMetricNames.ACTIVE_RUNS)
            .help("Open runs that have series (closed runs' series are served a while longer).")
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
    runsFinished = counter(ExporterMetricNames.RUNS_FINISHED, "Runs closed by the job.", "status");
    droppedRecords =
        counter(
            ExporterMetricNames.DROPPED_RECORDS,
            "Metric records not exported because the active-run cap was reached.");
    lateRecords =
        counter(
            ExporterMetricNames.LATE_RECORDS,
            "Metric records of runs already closed (arrived after their RUN_CLOSED), not"
                + " exported.");
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

  /**
   * Applies a record of qgm.metrics: EPOCH and STATE records set the run's gauges, RUN_CLOSED
   * closes the run (its series go after the retention, see {@link #removeExpiredRuns}), WINDOW,
   * RUN_OPENED and legacy RUN_SUMMARY records are only counted.
   */
  public void onMetricRecord(MetricRecord record) {
    records.labelValues(Topics.METRICS).inc();
    long now = clock.getAsLong();
    pipelineLatency.observe(
        seconds(record.getProcessedTime().toEpochMilli() - record.getEventTime().toEpochMilli()));
    sinkLatency.observe(seconds(now - record.getProcessedTime().toEpochMilli()));
    String runId = record.getRunId();
    MetricScope scope = record.getScope();
    if (scope == MetricScope.RUN_CLOSED) {
      runsFinished
          .labelValues(record.getStatus() == null ? "UNKNOWN" : record.getStatus().name())
          .inc();
      closeRun(runId);
      return;
    }
    if (scope == MetricScope.RUN_OPENED) {
      runLabels.opened(record);
      return;
    }
    if (scope != MetricScope.EPOCH && scope != MetricScope.STATE) {
      return;
    }
    if (activeRuns.isClosed(runId)) {
      lateRecords.inc();
      return;
    }
    if (!activeRuns.admit(runId)) {
      droppedRecords.inc();
      return;
    }
    activeRunCount.set(activeRuns.size());
    RunLabels.Values labels = runLabels.of(runId, record.getExperiment(), record.getConfigId());
    String experiment = labels.experiment();
    String configId = labels.configId();
    epoch.labelValues(runId, experiment, configId).set(record.getLastEpoch());
    if (scope == MetricScope.EPOCH) {
      shots.labelValues(runId, experiment, configId).set(record.getShots());
    }
    record
        .getMetrics()
        .forEach(
            (name, value) -> {
              if (name.startsWith(MetricNames.LOSS_PREFIX)) {
                String lossName = lossNames.value(name.substring(MetricNames.LOSS_PREFIX.length()));
                loss.labelValues(runId, experiment, configId, lossName).set(value);
                return;
              }
              Gauge gauge = valueGauges.get(name);
              if (gauge == null) {
                unknownMetrics.inc();
              } else {
                gauge.labelValues(runId, experiment, configId).set(value);
              }
            });
    record
        .getNoiseFloors()
        .forEach(
            (name, value) -> {
              Gauge gauge = floorGauges.get(name);
              if (gauge != null) {
                gauge.labelValues(runId, experiment, configId).set(value);
              }
            });
  }

  /** Counts the dead letter by its error type. */
  public void onDeadLetter(DeadLetter letter) {
    records.labelValues(Topics.DLQ).inc();
    deadLetters.labelValues(errorTypes.value(letter.getErrorType())).inc();
  }

  /**
   * Counts the alert by detector, severity and state, and sets or removes the run's {@code
   * qmon_alert_firing} series (only for a run with series: not closed, within the cap).
   */
  public void onAlert(Alert alert) {
    records.labelValues(Topics.ALERTS).inc();
    String detector = detectors.value(alert.getDetector());
    String severity = alert.getSeverity().name();
    alerts.labelValues(detector, severity, alert.getState().name()).inc();
    String runId = alert.getRunId();
    if (activeRuns.isClosed(runId)) {
      return;
    }
    String metric = alertMetrics.value(alert.getMetric());
    if (alert.getState() == io.qmon.schemas.AlertState.RESOLVED) {
      alertFiring.removeIf(
          l ->
              // Label values in the gauge's order: run_id, experiment, config_id, detector, metric.
              runId.equals(l.get(0)) && detector.equals(l.get(3)) && metric.equals(l.get(4)));
      return;
    }
    if (!activeRuns.admit(runId)) {
      droppedRecords.inc();
      return;
    }
    activeRunCount.set(activeRuns.size());
    RunLabels.Values labels = runLabels.of(runId, alert.getExperiment(), alert.getConfigId());
    alertFiring
        .labelValues(runId, labels.experiment(), labels.configId(), detector, metric, severity)
        .set(1);
  }

  /**
   * Sets the sweep configuration's gauges from its latest summary: repeats, rank and μ, σ, 95% CI
   * of each summary metric ({@code <metric>_mean|_std|_ci_low|_ci_high} in the statistics map).
   * Beyond {@value #MAX_SWEEP_CONFIGURATIONS} configurations the least recently updated one loses
   * its series.
   */
  public void onSweepSummary(SweepSummary summary) {
    records.labelValues(Topics.SWEEPS).inc();
    String experiment = RunLabels.cut(summary.getExperiment());
    String configId = RunLabels.cut(summary.getConfigId());
    SweepConfigurations.Key evicted = sweepConfigurations.touch(experiment, configId);
    if (evicted != null) {
      removeSweep(evicted.experiment(), evicted.configId());
    }
    sweepRuns.labelValues(experiment, configId).set(summary.getRuns());
    sweepRank.labelValues(experiment, configId).set(summary.getRank());
    summary
        .getStatistics()
        .forEach(
            (key, value) -> {
              for (Map.Entry<String, Gauge> statistic : sweepStatistics.entrySet()) {
                String suffix = "_" + statistic.getKey();
                if (key.endsWith(suffix)) {
                  String metric =
                      sweepMetrics.value(key.substring(0, key.length() - suffix.length()));
                  statistic.getValue().labelValues(experiment, configId, metric).set(value);
                  return;
                }
              }
              unknownMetrics.inc();
            });
  }

  private void removeSweep(String experiment, String configId) {
    sweepRuns.remove(experiment, configId);
    sweepRank.remove(experiment, configId);
    for (Gauge gauge : sweepStatistics.values()) {
      gauge.removeIf(l -> experiment.equals(l.get(0)) && configId.equals(l.get(1)));
    }
  }

  /** Counts a record of the topic that could not be decoded. */
  public void onDecodeError(String topic) {
    decodeErrors.labelValues(topic).inc();
  }

  /** Runs that currently have series. */
  public int activeRunCount() {
    return activeRuns.size();
  }

  /**
   * Removes the series of runs closed at least the retention ago; the consumer loop calls it after
   * every poll, also when nothing came.
   */
  public void removeExpiredRuns() {
    long now = clock.getAsLong();
    while (!closing.isEmpty() && closing.peek().removeAt() <= now) {
      removeSeries(closing.poll().runId());
    }
  }

  private void closeRun(String runId) {
    runLabels.forget(runId);
    if (activeRuns.close(runId)) {
      activeRunCount.set(activeRuns.size());
      // A closed run has no firing alert: the job resolves its alerts when it ends.
      alertFiring.removeIf(labels -> runId.equals(labels.get(0)));
      if (closedRunRetentionMs == 0) {
        removeSeries(runId);
        return;
      }
      closing.add(new Closed(runId, clock.getAsLong() + closedRunRetentionMs));
      // Bounded like the open runs: a burst of closes shortens the oldest ones' retention.
      if (closing.size() > maxActiveRuns) {
        removeSeries(closing.poll().runId());
      }
    }
  }

  private void removeSeries(String runId) {
    for (StatefulMetric<?, ?> metric : perRunMetrics) {
      metric.removeIf(labels -> runId.equals(labels.get(0)));
    }
  }

  private Gauge runGauge(String name, String help, String... moreLabels) {
    String[] labels = new String[moreLabels.length + 3];
    labels[0] = RUN_ID;
    labels[1] = EXPERIMENT;
    labels[2] = CONFIG_ID;
    System.arraycopy(moreLabels, 0, labels, 3, moreLabels.length);
    Gauge gauge = Gauge.builder().name(name).help(help).labelNames(labels).register(registry);
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
