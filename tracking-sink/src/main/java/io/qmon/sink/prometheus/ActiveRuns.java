package io.qmon.sink.prometheus;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The runs that currently have series: admits a run while under the cap, remembers when each was
 * last updated, and hands back the ones idle longer than the TTL. Time comes from the injected
 * clock. Not thread-safe: the exporter's consumer thread owns it.
 */
final class ActiveRuns {
  private final int maxRuns;
  private final long ttlMillis;
  private final LongSupplier clock;
  private final Map<String, Long> lastUpdate = new LinkedHashMap<>();

  ActiveRuns(int maxRuns, long ttlMillis, LongSupplier clock) {
    if (maxRuns < 1) {
      throw new IllegalArgumentException("maxRuns must be at least 1, was " + maxRuns);
    }
    if (ttlMillis < 1) {
      throw new IllegalArgumentException("ttlMillis must be positive, was " + ttlMillis);
    }
    this.maxRuns = maxRuns;
    this.ttlMillis = ttlMillis;
    this.clock = clock;
  }

  /** Marks the run updated now; false when it is new and the cap is reached. */
  boolean touch(String runId) {
    if (!lastUpdate.containsKey(runId) && lastUpdate.size() >= maxRuns) {
      return false;
    }
    lastUpdate.put(runId, clock.getAsLong());
    return true;
  }

  /** Forgets the run; true if it was active. */
  boolean remove(String runId) {
    return lastUpdate.remove(runId) != null;
  }

  /** Removes and returns the runs not updated within the TTL. */
  List<String> expire() {
    long cutoff = clock.getAsLong() - ttlMillis;
    List<String> expired = new ArrayList<>();
    lastUpdate
        .entrySet()
        .removeIf(
            e -> {
              if (e.getValue() <= cutoff) {
                expired.add(e.getKey());
                return true;
              }
              return false;
            });
    return expired;
  }

  int size() {
    return lastUpdate.size();
  }
}
