package io.qmon.jobs.runs;

import io.qmon.jobs.score.RunSummary;
import io.qmon.metrics.shift.RecentCounts;
import io.qmon.schemas.RunFinished;
import io.qmon.schemas.RunStarted;
import io.qmon.schemas.ShotCounts;

/**
 * Everything the job keeps about one open run, in one keyed value: one state lookup and one write
 * per event instead of one per field. A Flink POJO (public fields, no-arg constructor), read and
 * changed only by {@link RunLifecycle}. The epochs still waiting for the run's start or target and
 * the duplicate marks live apart: the first is a list that is usually empty, the second has its own
 * time-to-live.
 */
public class RunState {
  /** No timer armed. */
  public static final long NONE = -1;

  /** The run's start event, once seen. */
  public RunStarted started;

  /** The run's end event, once seen. */
  public RunFinished finished;

  /** Epochs waiting in the pending list. */
  public int pending;

  /** State snapshots waiting in the pending-states list. */
  public int pendingStates;

  /** Epochs scored so far. */
  public int scored;

  /** Processing time when what waits is dead-lettered, or {@link #NONE}. */
  public long pendingDeadline = NONE;

  /** Processing time of the run's last event. */
  public long lastSeen;

  /** Processing time of the next stall check, or {@link #NONE}. */
  public long stallCheck = NONE;

  /**
   * The highest event time of the run's shot and state events so far (its producer's clock), or
   * {@code Long.MIN_VALUE}: lateness is judged against it, never against other runs' clocks, nor
   * against its start and finish events, which come on another topic.
   */
  public long latestEventTime = Long.MIN_VALUE;

  /**
   * The last scored epoch's counts, drawn beside the target in the run-closed record: one event,
   * bounded by the edge's limit on outcomes per event, not a list.
   */
  public ShotCounts lastShots;

  /**
   * The generated counts of the run's last epochs, pooled, that each new epoch is tested against
   * ({@code window_shift}); null before its first scored epoch. Bounded by {@link
   * RecentCounts#DEFAULT_MAX_OUTCOMES} outcomes per epoch kept.
   */
  public RecentCounts recentCounts;

  /** The run's summary so far, or null before its first scored epoch. */
  public RunSummary summary;

  public RunState() {}
}
