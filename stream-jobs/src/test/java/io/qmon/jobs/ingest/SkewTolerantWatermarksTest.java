package io.qmon.jobs.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.qmon.jobs.records.InputEvent;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.junit.jupiter.api.Test;

class SkewTolerantWatermarksTest {
  private static final long OUT_OF_ORDER = 5_000;
  private static final long SKEW = 60_000;

  private final AtomicLong clock = new AtomicLong(1_000_000);
  private final InstantSource source = () -> Instant.ofEpochMilli(clock.get());
  private final List<Long> emitted = new ArrayList<>();
  private final WatermarkOutput output =
      new WatermarkOutput() {
        @Override
        public void emitWatermark(Watermark watermark) {
          emitted.add(watermark.getTimestamp());
        }

        @Override
        public void markIdle() {}

        @Override
        public void markActive() {}
      };
  private final SkewTolerantWatermarks watermarks =
      new SkewTolerantWatermarks(OUT_OF_ORDER, SKEW, source);

  private long emit() {
    watermarks.onPeriodicEmit(output);
    return emitted.get(emitted.size() - 1);
  }

  @Test
  void shouldFollowTheHighestEventTimeWithinTheTolerance() {
    watermarks.onEvent(new InputEvent(), 990_000, output);
    watermarks.onEvent(new InputEvent(), 1_000_000 + SKEW, output);
    assertEquals(1_000_000 + SKEW - OUT_OF_ORDER - 1, emit());
  }

  @Test
  void shouldNotMoveForAnEventFromAClockTenMinutesAhead() {
    watermarks.onEvent(new InputEvent(), 990_000, output);
    watermarks.onEvent(new InputEvent(), 1_000_000 + 600_000, output);
    assertEquals(990_000 - OUT_OF_ORDER - 1, emit());
  }

  @Test
  void shouldAcceptTheSameTimeOnceTheJobsClockHasCaughtUp() {
    long ahead = 1_000_000 + 600_000;
    watermarks.onEvent(new InputEvent(), ahead, output);
    clock.set(ahead - SKEW);
    watermarks.onEvent(new InputEvent(), ahead, output);
    assertEquals(ahead - OUT_OF_ORDER - 1, emit());
  }
}
