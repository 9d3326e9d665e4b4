package io.qmon.jobs.runs;

import java.io.Serializable;

/**
 * The limits and timeouts of a run's lifecycle, from the job's configuration.
 *
 * @param maxPending events kept per run while its start or target is unknown; beyond that they are
 *     dead-lettered
 * @param pendingTimeoutMs how long events may wait for their run's start or target, and a finished
 *     run for its announced epochs
 * @param stallTimeoutMs a run with no event for this long is closed as stalled
 * @param allowedLatenessMs a shot event older than its run's latest event time by more than this is
 *     late; {@code Long.MAX_VALUE} accepts any
 */
public record RunSettings(
    int maxPending, long pendingTimeoutMs, long stallTimeoutMs, long allowedLatenessMs)
    implements Serializable {
  public RunSettings {
    if (maxPending < 1) {
      throw new IllegalArgumentException("maxPending must be >= 1, got " + maxPending);
    }
    if (pendingTimeoutMs < 1 || stallTimeoutMs < 1) {
      throw new IllegalArgumentException(
          "timeouts must be >= 1 ms, got " + pendingTimeoutMs + " and " + stallTimeoutMs);
    }
    if (allowedLatenessMs < 0) {
      throw new IllegalArgumentException(
          "allowedLatenessMs must be >= 0, got " + allowedLatenessMs);
    }
  }
}
