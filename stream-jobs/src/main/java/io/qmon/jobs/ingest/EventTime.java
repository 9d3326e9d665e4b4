package io.qmon.jobs.ingest;

import io.qmon.jobs.records.InputEvent;
import java.time.Clock;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/** The event-time strategy of the run and shot sources. */
public final class EventTime {
  private EventTime() {}

  /**
   * Event time is the event's own time (the record's Kafka timestamp when it has none); watermarks
   * come from {@link SkewTolerantWatermarks}, so an event from a fast clock moves no clock.
   *
   * @param clock serializable (it travels with the job graph): {@link Clock#systemUTC()} in the job
   */
  public static WatermarkStrategy<InputEvent> strategy(
      long maxOutOfOrdernessMs, long maxFutureSkewMs, long idlenessMs, Clock clock) {
    return WatermarkStrategy.<InputEvent>forGenerator(
            context -> new SkewTolerantWatermarks(maxOutOfOrdernessMs, maxFutureSkewMs, clock))
        .withTimestampAssigner(
            (event, recordTimestamp) -> {
              long own = event.eventTimeMillis();
              return own >= 0 ? own : recordTimestamp;
            })
        .withIdleness(Duration.ofMillis(idlenessMs));
  }
}
