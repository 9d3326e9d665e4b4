package io.qmon.jobs.runs;

import io.qmon.jobs.records.InputEvent;

/**
 * A run's events that wait for its start or target, as the lifecycle reads them: only when they can
 * be scored or must be refused, so the operator may read its list state lazily. Each waiting event
 * keeps where it was read (topic, partition, offset), so one refused after waiting names its source
 * like one refused at once.
 */
public interface Pending {
  /** Waiting shot events ({@link InputEvent#shots} set), in arrival order. */
  Iterable<InputEvent> shots();

  /** Waiting state snapshots ({@link InputEvent#state} set), in arrival order. */
  Iterable<InputEvent> states();
}
