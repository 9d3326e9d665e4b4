package io.qmon.jobs.runs;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.function.ObjLongConsumer;

/**
 * The most recently closed runs of one subtask and when they closed, oldest forgotten first. A
 * closed run's keyed state is cleared completely; this small bounded memory lives beside it, so an
 * event that arrives after its run closed is dead-lettered at once instead of opening the run
 * again. Not thread-safe: one instance per operator instance.
 */
public final class ClosedRuns {
  private final int capacity;
  private final LinkedHashMap<String, Long> closedAt = new LinkedHashMap<>();

  /**
   * @param capacity how many closed runs are remembered
   */
  public ClosedRuns(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
    }
    this.capacity = capacity;
  }

  /** Remembers that the run closed at the given time (processing time, ms). */
  public void remember(String runId, long closedAtMillis) {
    closedAt.put(runId, closedAtMillis);
    if (closedAt.size() > capacity) {
      Iterator<String> oldest = closedAt.keySet().iterator();
      oldest.next();
      oldest.remove();
    }
  }

  /** When the run closed, or null when it is not remembered as closed. */
  public Long closedAt(String runId) {
    return closedAt.get(runId);
  }

  /** Every remembered run, oldest first. */
  public void forEach(ObjLongConsumer<String> action) {
    closedAt.forEach(action::accept);
  }

  public int size() {
    return closedAt.size();
  }
}
