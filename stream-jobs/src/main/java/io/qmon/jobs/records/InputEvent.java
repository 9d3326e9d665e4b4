package io.qmon.jobs.records;

import io.qmon.schemas.DeadLetter;
import io.qmon.schemas.RunEvent;
import io.qmon.schemas.ShotCounts;
import io.qmon.schemas.StateSnapshot;
import io.qmon.schemas.TargetDistribution;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * One decoded input record: exactly one of the fields is set. Undecodable records travel as a
 * {@link DeadLetter} so the job can route them, count them, and never drop them.
 *
 * <p>Flink serializes it with {@link InputEventSerializer} (named by the annotation), which writes
 * shot events field by field: they are what crosses the job's shuffle.
 */
@TypeInfo(InputEventTypeInfo.Factory.class)
public class InputEvent {
  public RunEvent run;
  public ShotCounts shots;
  public StateSnapshot state;
  public TargetDistribution target;
  public DeadLetter rejected;

  /** Where the record was read: kept so a later rejection can name its source. */
  public String sourceTopic;

  public int sourcePartition = -1;
  public long sourceOffset = -1;

  public InputEvent() {}

  /** Records where this event was read from. */
  public InputEvent from(String topic, int partition, long offset) {
    this.sourceTopic = topic;
    this.sourcePartition = partition;
    this.sourceOffset = offset;
    return this;
  }

  public static InputEvent of(RunEvent run) {
    InputEvent e = new InputEvent();
    e.run = run;
    return e;
  }

  public static InputEvent of(ShotCounts shots) {
    InputEvent e = new InputEvent();
    e.shots = shots;
    return e;
  }

  public static InputEvent of(StateSnapshot state) {
    InputEvent e = new InputEvent();
    e.state = state;
    return e;
  }

  public static InputEvent of(TargetDistribution target) {
    InputEvent e = new InputEvent();
    e.target = target;
    return e;
  }

  public static InputEvent of(DeadLetter rejected) {
    InputEvent e = new InputEvent();
    e.rejected = rejected;
    return e;
  }

  /** The run this event belongs to, or null for targets and unreadable records. */
  public String runId() {
    if (run != null) {
      return run.getRunId();
    }
    if (shots != null) {
      return shots.getRunId();
    }
    if (state != null) {
      return state.getRunId();
    }
    return null;
  }

  /** The event's own time: when it was measured or published; -1 when it has none. */
  public long eventTimeMillis() {
    if (shots != null) {
      return shots.getEventTime().toEpochMilli();
    }
    if (run != null) {
      return run.getEventTime().toEpochMilli();
    }
    if (state != null) {
      return state.getEventTime().toEpochMilli();
    }
    if (target != null) {
      return target.getUpdatedTime().toEpochMilli();
    }
    return -1;
  }

  @Override
  public String toString() {
    Object value =
        run != null
            ? run
            : shots != null ? shots : state != null ? state : target != null ? target : rejected;
    return "InputEvent{" + value + "}";
  }
}
