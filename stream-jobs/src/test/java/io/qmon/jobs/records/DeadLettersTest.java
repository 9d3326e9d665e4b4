package io.qmon.jobs.records;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qmon.schemas.DeadLetter;
import io.qmon.schemas.ShotCounts;
import io.qmon.schemas.validation.ErrorType;
import io.qmon.schemas.validation.Rejection;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeadLettersTest {
  private static final Instant REJECTED_AT = Instant.parse("2026-03-01T12:00:00Z");

  @Test
  void shouldKeepTheFirst64KibOfALargeUndecodableValueAndSaySo() {
    byte[] value = new byte[1 << 20];
    Arrays.fill(value, (byte) 7);
    DeadLetter letter =
        DeadLetters.undecodable(
            "qgm.shots", 0, 42, null, value, ErrorType.UNREADABLE.name(), "bad bytes", REJECTED_AT);
    assertEquals(65_536, letter.getValue().remaining());
    assertArrayEquals(Arrays.copyOf(value, 65_536), bytes(letter.getValue()));
    assertEquals(
        "bad bytes [dead letter value truncated to its first 65536 of 1048576 bytes]",
        letter.getReason());
  }

  @Test
  void shouldKeepASmallValueWhole() {
    byte[] value = {0, 1, 2};
    DeadLetter letter =
        DeadLetters.undecodable(
            "qgm.shots", 0, 1, new byte[] {9}, value, "UNREADABLE", "short", REJECTED_AT);
    assertArrayEquals(value, bytes(letter.getValue()));
    assertEquals("short", letter.getReason());
    assertEquals(REJECTED_AT, letter.getRejectedTime());
  }

  @Test
  void shouldCapTheRenderedEventAndTheRunIdOfARejectedEvent() {
    String runId = "r".repeat(100_000);
    ShotCounts shots =
        ShotCounts.newBuilder()
            .setRunId(runId)
            .setProducerId("p")
            .setSeq(0)
            .setEpoch(1)
            .setEventTime(Instant.parse("2026-12-01T00:00:00Z"))
            .setQubits(1)
            .setShots(1)
            .setOutcomes(List.of(0L))
            .setCounts(List.of(1L))
            .setLosses(Map.of())
            .build();
    InputEvent event = InputEvent.of(shots).from("qgm.shots", 1, 5);
    DeadLetter letter =
        DeadLetters.rejected(
            event,
            shots,
            new Rejection(ErrorType.FIELD_TOO_LONG, "run_id", "run_id has 100000 characters"),
            REJECTED_AT);
    assertEquals(REJECTED_AT, letter.getRejectedTime());
    assertEquals(65_536, letter.getValue().remaining());
    assertEquals(256, letter.getRunId().length());
    assertEquals(256, letter.getKey().remaining());
    assertTrue(
        letter.getReason().startsWith("run_id has 100000 characters [dead letter value truncated"),
        letter.getReason());
    assertEquals("FIELD_TOO_LONG", letter.getErrorType());
  }

  private static byte[] bytes(ByteBuffer buffer) {
    byte[] out = new byte[buffer.remaining()];
    buffer.duplicate().get(out);
    return out;
  }
}
