package io.qmon.jobs.runs;

import io.qmon.schemas.ShotCounts;
import io.qmon.schemas.StateSnapshot;

/**
 * A run's events that wait for its start or target, as the lifecycle reads them: only when they can
 * be scored or must be refused, so the operator may read its list state lazily.
 */
public interface Pending {
  /** Waiting shot events, in arrival order. */
  Iterable<ShotCounts> shots();

  /** Waiting state snapshots, in arrival order. */
  Iterable<StateSnapshot> states();
}
