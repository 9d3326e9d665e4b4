package io.qmon.sink.prometheus;

/** Names of the exporter's series that are not per-metric gauges (see {@link RunSeries}). */
public final class ExporterMetricNames {
  /** Latest epoch seen per active run. */
  public static final String RUN_EPOCH = "qmon_run_epoch";

  /** Shots per epoch of each active run. */
  public static final String RUN_SHOTS = "qmon_run_shots";

  /** Runs that currently have series. */
  public static final String ACTIVE_RUNS = "qmon_exporter_active_runs";

  /** Records consumed, by topic. */
  public static final String RECORDS = "qmon_records_total";

  /** Records whose bytes could not be decoded, by topic. */
  public static final String DECODE_ERRORS = "qmon_exporter_decode_errors_total";

  /** Dead letters on qgm.dlq, by error_type. */
  public static final String DEAD_LETTERS = "qmon_dead_letters_total";

  /** Alerts on qgm.alerts, by detector, severity and state. */
  public static final String ALERTS = "qmon_alerts_total";

  /** Runs closed by the job (RUN_CLOSED records), by status. */
  public static final String RUNS_FINISHED = "qmon_runs_finished_total";

  /** Metric records not exported because the active-run cap was reached. */
  public static final String DROPPED_RECORDS = "qmon_exporter_dropped_records_total";

  /** Metric records of runs already closed, not exported. */
  public static final String LATE_RECORDS = "qmon_exporter_late_records_total";

  /** Latest value of each of the producer's losses, by run and loss name. */
  public static final String RUN_LOSS = "qmon_run_loss";

  /** Label of {@link #RUN_LOSS}: the loss name (bounded). */
  public static final String LOSS = "loss";

  /** Metric keys in records that have no series here. */
  public static final String UNKNOWN_METRICS = "qmon_exporter_unknown_metrics_total";

  /** Seconds from an epoch's event time to the job's processing time. */
  public static final String PIPELINE_LATENCY = "qmon_pipeline_latency_seconds";

  /** Seconds from the job's processing time to the exporter receiving the record. */
  public static final String SINK_LATENCY = "qmon_sink_latency_seconds";

  /** Label of every per-run series. */
  public static final String RUN_ID = "run_id";

  /** Label of every per-run and sweep series: the run's experiment (empty when it has none). */
  public static final String EXPERIMENT = "experiment";

  /** Label of every per-run and sweep series: the sweep configuration (empty for a lone run). */
  public static final String CONFIG_ID = "config_id";

  /** 1 per firing alert of an active run, by detector, metric and severity. */
  public static final String ALERT_FIRING = "qmon_alert_firing";

  /** Repeats aggregated per sweep configuration. */
  public static final String SWEEP_RUNS = "qmon_sweep_runs";

  /** Rank of a sweep configuration in its experiment. */
  public static final String SWEEP_RANK = "qmon_sweep_rank";

  /** Prefix of the sweep statistic gauges, {@code qmon_sweep_mean} etc. */
  public static final String SWEEP_PREFIX = "qmon_sweep_";

  /**
   * The statistics of {@code SweepSummary.statistics}, each a gauge with a {@code metric} label.
   */
  public static final java.util.List<String> SWEEP_STATISTICS =
      java.util.List.of("mean", "std", "ci_low", "ci_high");

  private ExporterMetricNames() {}
}
