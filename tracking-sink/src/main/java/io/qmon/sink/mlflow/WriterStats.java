package io.qmon.sink.mlflow;

import java.util.concurrent.atomic.AtomicLong;

/** Counters of what the MLflow writer did; read by the sink's owner, the benchmark and tests. */
public final class WriterStats {
  final AtomicLong pointsWritten = new AtomicLong();
  final AtomicLong duplicatesSkipped = new AtomicLong();
  final AtomicLong batches = new AtomicLong();
  final AtomicLong retries = new AtomicLong();
  final AtomicLong rejected = new AtomicLong();
  final AtomicLong decodeErrors = new AtomicLong();
  final AtomicLong runsCreated = new AtomicLong();
  final AtomicLong runsFinished = new AtomicLong();

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

  /** MLflow calls that failed and were retried after a backoff. */
  public long retries() {
    return retries.get();
  }

  /** Writes MLflow refused as invalid (4xx); logged with the run and not retried. */
  public long rejected() {
    return rejected.get();
  }

  /** Records that could not be decoded. */
  public long decodeErrors() {
    return decodeErrors.get();
  }

  /** MLflow runs created (not found by their qmon.run_id tag). */
  public long runsCreated() {
    return runsCreated.get();
  }

  /** Runs whose status was set from a run-finished event. */
  public long runsFinished() {
    return runsFinished.get();
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
        + " rejected="
        + rejected
        + " decodeErrors="
        + decodeErrors
        + " runsCreated="
        + runsCreated
        + " runsFinished="
        + runsFinished;
  }
}
