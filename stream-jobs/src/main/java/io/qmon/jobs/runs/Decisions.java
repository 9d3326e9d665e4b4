package io.qmon.jobs.runs;

import io.qmon.jobs.records.InputEvent;
import io.qmon.schemas.Alert;
import io.qmon.schemas.MetricRecord;
import io.qmon.schemas.validation.Rejection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What {@link RunLifecycle} decided for one input, for the operator to apply: records to emit,
 * events to dead-letter with their {@link Rejection}, alerts, processing-time timers to arm and
 * cancel, the pending list and duplicate mark to change, and what becomes of the run's state.
 *
 * <p>The lifecycle reuses one instance for every call (no allocation per event on the hot path): a
 * returned instance is valid until the next call.
 */
public final class Decisions {
  /** What becomes of the run's keyed state. */
  public enum StateChange {
    /** Nothing to write: the input changed nothing (a duplicate, an event of a closed run). */
    KEEP,
    /** Write {@link #run()}. */
    UPDATE,
    /** The run closed: clear every piece of its keyed state (value, pending list, marks). */
    CLEAR
  }

  /** An input the run refused, with why: the operator turns it into a dead letter. */
  public record Refusal(InputEvent source, Object payload, Rejection rejection) {}

  private final List<MetricRecord> records = new ArrayList<>(4);
  private final List<Refusal> refusals = new ArrayList<>(2);
  private final List<Alert> alerts = new ArrayList<>(1);
  private long[] arm = new long[2];
  private int armCount;
  private long[] cancel = new long[2];
  private int cancelCount;
  private InputEvent toPend;
  private InputEvent stateToPend;
  private boolean clearPending;
  private String markKey;
  private long markSeq;
  private boolean duplicate;
  private int epochsScored;
  private StateChange state = StateChange.KEEP;
  private RunState run;

  void reset() {
    records.clear();
    refusals.clear();
    alerts.clear();
    armCount = 0;
    cancelCount = 0;
    toPend = null;
    stateToPend = null;
    clearPending = false;
    markKey = null;
    duplicate = false;
    epochsScored = 0;
    state = StateChange.KEEP;
    run = null;
  }

  void emit(MetricRecord record) {
    records.add(record);
  }

  void refuse(InputEvent source, Object payload, Rejection rejection) {
    refusals.add(new Refusal(source, payload, rejection));
  }

  void alert(Alert alert) {
    alerts.add(alert);
  }

  void arm(long timestamp) {
    if (armCount == arm.length) {
      arm = Arrays.copyOf(arm, 2 * armCount);
    }
    arm[armCount++] = timestamp;
  }

  void cancel(long timestamp) {
    if (cancelCount == cancel.length) {
      cancel = Arrays.copyOf(cancel, 2 * cancelCount);
    }
    cancel[cancelCount++] = timestamp;
  }

  void pendShots(InputEvent shots) {
    toPend = shots;
  }

  void pendState(InputEvent state) {
    stateToPend = state;
  }

  void clearPending() {
    clearPending = true;
  }

  void mark(String key, long seq) {
    markKey = key;
    markSeq = seq;
  }

  void duplicate() {
    duplicate = true;
  }

  void scored() {
    epochsScored++;
  }

  void update(RunState run) {
    this.state = StateChange.UPDATE;
    this.run = run;
  }

  void clear() {
    this.state = StateChange.CLEAR;
    this.run = null;
  }

  /** Metric records to emit, in order. */
  public List<MetricRecord> records() {
    return records;
  }

  /** Inputs to dead-letter, in order. */
  public List<Refusal> refusals() {
    return refusals;
  }

  /** Alerts to emit (stalled runs). */
  public List<Alert> alerts() {
    return alerts;
  }

  /** Number of processing-time timers to register. */
  public int timersToArm() {
    return armCount;
  }

  /** The i-th processing-time timer to register. */
  public long timerToArm(int i) {
    return arm[i];
  }

  /** Number of processing-time timers to delete. */
  public int timersToCancel() {
    return cancelCount;
  }

  /** The i-th processing-time timer to delete. */
  public long timerToCancel(int i) {
    return cancel[i];
  }

  /**
   * A shot event, with where it was read, to add to the run's pending list (after clearing it, if
   * asked), or null.
   */
  public InputEvent toPend() {
    return toPend;
  }

  /**
   * A state snapshot, with where it was read, to add to the run's pending-states list (after
   * clearing it, if asked), or null.
   */
  public InputEvent stateToPend() {
    return stateToPend;
  }

  /**
   * True when the run's pending lists (shots and states) are to be emptied (their events were
   * scored or refused).
   */
  public boolean clearsPending() {
    return clearPending;
  }

  /** The duplicate-mark key to set to {@link #markSeq()}, or null. */
  public String markKey() {
    return markKey;
  }

  public long markSeq() {
    return markSeq;
  }

  /** True when the input was a repeat and was dropped. */
  public boolean isDuplicate() {
    return duplicate;
  }

  /** Epoch records among {@link #records()}. */
  public int epochsScored() {
    return epochsScored;
  }

  public StateChange state() {
    return state;
  }

  /** The run's state to write when {@link #state()} is {@link StateChange#UPDATE}. */
  public RunState run() {
    return run;
  }
}
