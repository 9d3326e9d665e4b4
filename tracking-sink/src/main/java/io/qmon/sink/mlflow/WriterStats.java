package io.qmon.sink.mlflow;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters of what the MLflow writer did; read by the sink's owner, the benchmark, tests and the
 * Prometheus series of the sink ({@link MlflowSinkMetrics}).
 */
public final class WriterStats {
  final AtomicLong pointsWritten = new AtomicLong();
  final AtomicLong duplicatesSkipped = new AtomicLong();
  final AtomicLong batches = new AtomicLong();
  final AtomicLong retries = new AtomicLong();
  final AtomicLong rejectedRuns = new AtomicLong();
  final AtomicLong skippedRecords = new AtomicLong();
  final AtomicLong authFailures = new AtomicLong();
  final AtomicLong decodeErrors = new AtomicLong();
  final AtomicLong runsCreated = new AtomicLong();
  final AtomicLong runsCreatedWithoutOpen = new AtomicLong();
  final AtomicLong runsFinished = new AtomicLong();
  final AtomicLong snapshotsUploaded = new AtomicLong();
  final AtomicLong sweepUpdates = new AtomicLong();
  final AtomicLong sweepTables = new AtomicLong();
  final AtomicLong sweepFailures = new AtomicLong();

  /** Metric points MLflow accepted. */
  public long pointsWritten() {
    return pointsWritten.get();
  }

  /** Points not sent because MLflow already had them (replays). */
  public long duplicatesSkipped() {
    return duplicatesSkipped.get();
  }

  /** LogBatch requests of metric points MLflow accepted. */
  public long batches() {
    return batches.get();
  }

  /** MLflow calls that failed transiently and were retried after a backoff. */
  public long retries() {
    return retries.get();
  }

  /** Runs MLflow refused for good (4xx other than 401/403/429); their records are skipped. */
  public long rejectedRuns() {
    return rejectedRuns.get();
  }

  /** Records skipped because their run was rejected. */
  public long skippedRecords() {
    return skippedRecords.get();
  }

  /** MLflow answers 401/403: the writer paused and retried. */
  public long authFailures() {
    return authFailures.get();
  }

  /** Records that could not be decoded. */
  public long decodeErrors() {
    return decodeErrors.get();
  }

  /** MLflow runs created (not found by their qmon.run_id tag). */
  public long runsCreated() {
    return runsCreated.get();
  }

  /** Of those, runs created from a metric record because their RUN_OPENED was not seen. */
  public long runsCreatedWithoutOpen() {
    return runsCreatedWithoutOpen.get();
  }

  /** Runs terminated from a RUN_CLOSED record. */
  public long runsFinished() {
    return runsFinished.get();
  }

  /** Live distribution snapshots uploaded (one chart and one CSV each). */
  public long snapshotsUploaded() {
    return snapshotsUploaded.get();
  }

  /** Sweep configurations whose statistics were written to their parent run. */
  public long sweepUpdates() {
    return sweepUpdates.get();
  }

  /** Sweep tables (CSV, Markdown, chart) uploaded to an experiment's sweep run. */
  public long sweepTables() {
    return sweepTables.get();
  }

  /** Sweep summaries MLflow refused for good (logged with the reason, then skipped). */
  public long sweepFailures() {
    return sweepFailures.get();
  }

  @Override
  public String toString() {
    return "points="
        + pointsWritten
        + " duplicatesSkipped="
        + duplicatesSkipped
        + " batches="
        + batches
        + " retries="
        + retries
        + " rejectedRuns="
        + rejectedRuns
        + " skippedRecords="
        + skippedRecords
        + " authFailures="
        + authFailures
        + " decodeErrors="
        + decodeErrors
        + " runsCreated="
        + runsCreated
        + " runsCreatedWithoutOpen="
        + runsCreatedWithoutOpen
        + " runsFinished="
        + runsFinished
        + " snapshotsUploaded="
        + snapshotsUploaded
        + " sweepUpdates="
        + sweepUpdates
        + " sweepTables="
        + sweepTables
        + " sweepFailures="
        + sweepFailures;
  }
}
