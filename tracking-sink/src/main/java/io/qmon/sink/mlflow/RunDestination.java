package io.qmon.sink.mlflow;

import io.qmon.schemas.MetricRecord;
import java.util.List;

/**
 * The one place a {@link WriterLane} talks to the tracking server, per qmon run. The lane owns
 * buffering, batching, ordering, back-pressure, retries and offset completion; an implementation
 * only writes. Every method must be idempotent: after any failure the lane calls it again with the
 * same arguments (and after a sink restart, records are replayed from the last commit).
 *
 * <p>Failures: {@link RunRejectedException} when the destination refuses the run for good, {@link
 * UnauthorizedException} when it refuses the sink's credentials; any other exception is transient.
 * Calls for one run always come from the same lane thread.
 */
interface RunDestination {
  /** The run started: create it (or find the one a previous sink made) with params and tags. */
  void open(MetricRecord opened);

  /**
   * Metric records of one run (EPOCH, WINDOW, STATE, legacy RUN_SUMMARY), in arrival order. A run
   * whose RUN_OPENED was not seen is created from what the first record carries.
   */
  void write(String runId, List<MetricRecord> records);

  /** The run ended: its summary, artifacts and final status. */
  void close(MetricRecord closed);

  /** Drops whatever is cached for the run (after the lane gave it up as rejected). */
  void forget(String runId);
}
