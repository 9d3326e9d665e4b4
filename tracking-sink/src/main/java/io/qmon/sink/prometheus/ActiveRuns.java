package io.qmon.sink.prometheus;

import io.qmon.sink.Bounded;
import java.util.HashSet;
import java.util.Set;

/**
 * The runs that currently have series, and the runs recently closed. A run is admitted while under
 * the cap and is open until its RUN_CLOSED record (the job closes every run it opened, with a
 * STALLED or TIMED_OUT status when the producer went quiet), so the exporter guesses no lifetimes.
 * Records of a run that arrive after its RUN_CLOSED (the job's records of one run may be on
 * different partitions) are recognised from a bounded memory of closed runs and do not bring it
 * back. Not thread-safe: the exporter's consumer thread owns it.
 */
final class ActiveRuns {
  private final int maxRuns;
  private final Set<String> active = new HashSet<>();
  private final Set<String> closed;

  ActiveRuns(int maxRuns, int rememberedClosed) {
    if (maxRuns < 1) {
      throw new IllegalArgumentException("maxRuns must be at least 1, was " + maxRuns);
    }
    this.maxRuns = maxRuns;
    this.closed = Bounded.oldestFirstSet(rememberedClosed);
  }

  /** Admits the run; false when it is new and the cap is reached. */
  boolean admit(String runId) {
    if (active.contains(runId)) {
      return true;
    }
    if (active.size() >= maxRuns) {
      return false;
    }
    active.add(runId);
    return true;
  }

  /** Whether the run's RUN_CLOSED was seen recently. */
  boolean isClosed(String runId) {
    return closed.contains(runId);
  }

  /** The run closed: forgets it as active; true if it was. */
  boolean close(String runId) {
    closed.add(runId);
    return active.remove(runId);
  }

  int size() {
    return active.size();
  }
}
