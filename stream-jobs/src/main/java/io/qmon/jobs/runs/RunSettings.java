package io.qmon.jobs.runs;

import java.io.Serializable;
import java.util.List;

/**
 * The limits and timeouts of a run's lifecycle, from the job's configuration.
 *
 * @param maxPending events kept per run while its start or target is unknown; beyond that they are
 *     dead-lettered
 * @param pendingTimeoutMs how long events may wait for their run's start or target, and a finished
 *     run for its announced epochs
 * @param stallTimeoutMs a run with no event for this long is closed as stalled
 * @param allowedLatenessMs a shot or state event older than its run's latest event time by more
 *     than this is late; {@code Long.MAX_VALUE} accepts any
 * @param histogramEveryEpochs epochs whose number is a multiple of this carry the histogram (0:
 *     none do); the run-closed record always carries the last one
 * @param histogramMaxOutcomes the most outcomes a histogram holds (the largest masses are kept)
 * @param maxStateQubits the most qubits a state snapshot may have (job.max-state-qubits)
 * @param stateCuts extra bipartitions (qubit indices) whose entropy STATE records report
 * @param maxEpochJump the most an epoch may lie beyond its run's last scored epoch (0: any); a
 *     bogus epoch far ahead would otherwise make every later epoch of the run go backwards
 */
public record RunSettings(
    int maxPending,
    long pendingTimeoutMs,
    long stallTimeoutMs,
    long allowedLatenessMs,
    int histogramEveryEpochs,
    int histogramMaxOutcomes,
    int maxStateQubits,
    List<int[]> stateCuts,
    int maxEpochJump)
    implements Serializable {
  /** The default of job.max-epoch-jump. */
  public static final int DEFAULT_MAX_EPOCH_JUMP = 100_000;

  /** The defaults of the histogram and state options, with the given limits and timeouts. */
  public RunSettings(
      int maxPending, long pendingTimeoutMs, long stallTimeoutMs, long allowedLatenessMs) {
    this(
        maxPending,
        pendingTimeoutMs,
        stallTimeoutMs,
        allowedLatenessMs,
        10,
        4096,
        16,
        List.of(),
        DEFAULT_MAX_EPOCH_JUMP);
  }

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
    if (histogramEveryEpochs < 0 || histogramMaxOutcomes < 1) {
      throw new IllegalArgumentException(
          "histogramEveryEpochs must be >= 0 and histogramMaxOutcomes >= 1, got "
              + histogramEveryEpochs
              + " and "
              + histogramMaxOutcomes);
    }
    stateCuts = List.copyOf(stateCuts);
    if (maxEpochJump < 0) {
      throw new IllegalArgumentException("maxEpochJump must be >= 0, got " + maxEpochJump);
    }
    if (maxStateQubits < 1) {
      throw new IllegalArgumentException("maxStateQubits must be >= 1, got " + maxStateQubits);
    }
  }
}
