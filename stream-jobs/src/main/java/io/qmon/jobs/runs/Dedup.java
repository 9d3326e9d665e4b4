package io.qmon.jobs.runs;

import io.qmon.jobs.records.InputEvent;

/** The identity under which repeats of a run's events are recognised. No Flink here. */
public final class Dedup {
  private Dedup() {}

  /**
   * The duplicate-mark key of a run event or shot event: (producer id, producer session, topic). A
   * producer numbers a run's events in order and Kafka keeps each topic partition in order, so an
   * event whose sequence number is not above the highest seen under its key is a repeat. A producer
   * that restarts under the same id starts a new session with sequence numbers from 0 again: a new
   * key, so its events are scored, not dropped. Events without a session share one key per
   * (producer, topic), as before sessions existed.
   */
  public static String key(InputEvent event) {
    if (event.shots != null) {
      return key(event.shots.getProducerId(), event.shots.getProducerSession(), "/shots");
    }
    if (event.state != null) {
      return key(event.state.getProducerId(), event.state.getProducerSession(), "/states");
    }
    return key(event.run.getProducerId(), event.run.getProducerSession(), "/runs");
  }

  private static String key(String producerId, String session, String topic) {
    // A control character cannot appear in a sensible id, so no two (producer, session) meet.
    return session == null ? producerId + topic : producerId + '\u0001' + session + topic;
  }

  /** The event's sequence number, compared under {@link #key}. */
  public static long sequence(InputEvent event) {
    if (event.shots != null) {
      return event.shots.getSeq();
    }
    return event.state != null ? event.state.getSeq() : event.run.getSeq();
  }
}
