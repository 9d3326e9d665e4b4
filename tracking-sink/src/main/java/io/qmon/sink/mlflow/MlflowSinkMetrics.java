package io.qmon.sink.mlflow;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.qmon.sink.prometheus.CallbackSeries;

/**
 * The MLflow sink's own health as Prometheus series, read from its {@link WriterStats} at scrape
 * time: {@value #AUTH_FAILURES} and {@value #PAUSED} (alert on these: MLflow refuses the
 * credentials and nothing is written), {@value #REJECTED_RUNS} and {@value #SKIPPED_RECORDS} (runs
 * MLflow refused for good), plus points, retries and outstanding records.
 */
public final class MlflowSinkMetrics {
  public static final String POINTS_WRITTEN = "qmon_mlflow_points_written_total";
  public static final String RETRIES = "qmon_mlflow_retries_total";
  public static final String REJECTED_RUNS = "qmon_mlflow_rejected_runs_total";
  public static final String SKIPPED_RECORDS = "qmon_mlflow_skipped_records_total";
  public static final String AUTH_FAILURES = "qmon_mlflow_auth_failures_total";
  public static final String RUNS_WITHOUT_OPEN = "qmon_mlflow_runs_created_without_open_total";
  public static final String SNAPSHOTS_UPLOADED = "qmon_mlflow_snapshots_uploaded_total";
  public static final String SWEEP_TABLES = "qmon_mlflow_sweep_tables_total";
  public static final String SWEEP_FAILURES = "qmon_mlflow_sweep_failures_total";
  public static final String PAUSED = "qmon_mlflow_paused";
  public static final String OUTSTANDING = "qmon_mlflow_outstanding_records";

  private MlflowSinkMetrics() {}

  /** Registers the sink's series in the registry (the exporter's, when both sinks run). */
  public static void register(MlflowSink sink, PrometheusRegistry registry) {
    WriterStats stats = sink.stats();
    CallbackSeries.counter(
        registry, POINTS_WRITTEN, "Metric points MLflow accepted.", stats.pointsWritten::get);
    CallbackSeries.counter(
        registry, RETRIES, "MLflow calls retried after a transient failure.", stats.retries::get);
    CallbackSeries.counter(
        registry,
        REJECTED_RUNS,
        "Runs MLflow refused for good (4xx other than 401/403/429); their records are skipped.",
        stats.rejectedRuns::get);
    CallbackSeries.counter(
        registry,
        SKIPPED_RECORDS,
        "Records skipped because MLflow rejected their run.",
        stats.skippedRecords::get);
    CallbackSeries.counter(
        registry,
        AUTH_FAILURES,
        "MLflow answers 401/403: writing paused and retried, nothing committed.",
        stats.authFailures::get);
    CallbackSeries.counter(
        registry,
        RUNS_WITHOUT_OPEN,
        "MLflow runs created from a metric record because the run's RUN_OPENED was not seen.",
        stats.runsCreatedWithoutOpen::get);
    CallbackSeries.counter(
        registry,
        SNAPSHOTS_UPLOADED,
        "Live distribution snapshots uploaded (a chart and a CSV per histogram record).",
        stats.snapshotsUploaded::get);
    CallbackSeries.counter(
        registry,
        SWEEP_TABLES,
        "Sweep tables (CSV, Markdown, error-bar chart) uploaded to an experiment's sweep run.",
        stats.sweepTables::get);
    CallbackSeries.counter(
        registry,
        SWEEP_FAILURES,
        "Sweep summaries MLflow refused for good; logged with the reason and skipped.",
        stats.sweepFailures::get);
    CallbackSeries.gauge(
        registry,
        PAUSED,
        "1 while MLflow refuses the sink's credentials and writing is paused.",
        () -> sink.paused() ? 1 : 0);
    CallbackSeries.gauge(
        registry,
        OUTSTANDING,
        "Records consumed but not yet accepted by MLflow (their offsets are not committed).",
        sink::outstandingRecords);
  }
}
