package io.qmon.jobs.ingest;

import io.qmon.jobs.records.InputEvent;
import java.time.InstantSource;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * Bounded-out-of-orderness watermarks that no producer's fast clock can push forward: an event
 * stamped more than {@code maxFutureSkewMs} ahead of the job's clock is ignored here (and
 * dead-lettered by {@link ValidateInput} as {@code FUTURE_EVENT_TIME}). Without this one event from
 * a clock ten minutes fast would move the shared watermark ten minutes ahead of every other run.
 */
public final class SkewTolerantWatermarks implements WatermarkGenerator<InputEvent> {
  private final long maxOutOfOrdernessMs;
  private final long maxFutureSkewMs;
  private final InstantSource clock;
  private long maxTimestamp;

  /**
   * @param maxOutOfOrdernessMs how far behind the highest accepted event time the watermark stays
   * @param maxFutureSkewMs events further ahead of {@code clock} than this do not count
   * @param clock the job's clock (the system clock in the job; a moved clock in tests)
   */
  public SkewTolerantWatermarks(
      long maxOutOfOrdernessMs, long maxFutureSkewMs, InstantSource clock) {
    if (maxOutOfOrdernessMs < 0 || maxFutureSkewMs < 0) {
      throw new IllegalArgumentException(
          "maxOutOfOrdernessMs and maxFutureSkewMs must be >= 0, got "
              + maxOutOfOrdernessMs
              + " and "
              + maxFutureSkewMs);
    }
    this.maxOutOfOrdernessMs = maxOutOfOrdernessMs;
    this.maxFutureSkewMs = maxFutureSkewMs;
    this.clock = clock;
    this.maxTimestamp = Long.MIN_VALUE + maxOutOfOrdernessMs + 1;
  }

  /** True when the event time is further ahead of {@code nowMillis} than the tolerance. */
  public static boolean isFuture(long eventTimeMillis, long nowMillis, long maxFutureSkewMs) {
    // eventTime - now cannot overflow for times after 1970 minus 292 million years.
    return eventTimeMillis > nowMillis && eventTimeMillis - nowMillis > maxFutureSkewMs;
  }

  @Override
  public void onEvent(InputEvent event, long eventTimestamp, WatermarkOutput output) {
    if (!isFuture(eventTimestamp, clock.millis(), maxFutureSkewMs)) {
      maxTimestamp = Math.max(maxTimestamp, eventTimestamp);
    }
  }

  @Override
  public void onPeriodicEmit(WatermarkOutput output) {
    output.emitWatermark(new Watermark(maxTimestamp - maxOutOfOrdernessMs - 1));
  }
}
