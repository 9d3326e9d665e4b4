package io.qmon.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.qmon.schemas.ShotCounts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

class EventTimeStampTest {
  private static final int SCHEMA_ID = 7;

  @Test
  void shouldRewriteOnlyTheEventTimeOfASerializedEvent() throws IOException {
    ShotCounts event = event("bench-run-ü-r001", 123_456, Instant.parse("2026-01-01T00:00:00Z"));
    byte[] value = frame(event);
    long sent = Instant.parse("2030-06-15T12:34:56.789Z").toEpochMilli();

    EventTimeStamp.write(value, EventTimeStamp.offsetOf(event), sent);

    event.setEventTime(Instant.ofEpochMilli(sent));
    assertEquals(event, read(value));
    assertArrayEquals(frame(event), value);
  }

  @Test
  void shouldFindTheEventTimeBehindAProducerSession() throws IOException {
    ShotCounts event = event("r-7", 99, Instant.parse("2026-01-01T00:00:00Z"));
    event.setProducerSession("session-ß-42");
    byte[] value = frame(event);
    long sent = Instant.parse("2031-02-03T04:05:06.007Z").toEpochMilli();

    EventTimeStamp.write(value, EventTimeStamp.offsetOf(event), sent);

    event.setEventTime(Instant.ofEpochMilli(sent));
    assertEquals(event, read(value));
  }

  @Test
  void shouldRefuseATimeWhoseEncodingHasAnotherLength() throws IOException {
    ShotCounts event = event("r", 1, Instant.parse("2026-01-01T00:00:00Z"));
    byte[] value = frame(event);
    byte[] before = value.clone();

    assertThrows(
        IllegalStateException.class,
        () -> EventTimeStamp.write(value, EventTimeStamp.offsetOf(event), 1_000L));
    assertArrayEquals(before, value, "nothing written when refused");
  }

  private static ShotCounts event(String runId, long seq, Instant time) {
    return ShotCounts.newBuilder()
        .setRunId(runId)
        .setProducerId("qmon-bench-abc123")
        .setSeq(seq)
        .setEpoch((int) seq)
        .setEventTime(time)
        .setQubits(5)
        .setShots(1024)
        .setOutcomes(List.of(3L, 17L))
        .setCounts(List.of(1000L, 24L))
        .build();
  }

  /** The Confluent framing: magic byte, 4-byte schema id, Avro binary. */
  private static byte[] frame(ShotCounts event) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(new byte[] {0, 0, 0, 0, SCHEMA_ID});
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new SpecificDatumWriter<ShotCounts>(ShotCounts.SCHEMA$).write(event, encoder);
    encoder.flush();
    return out.toByteArray();
  }

  private static ShotCounts read(byte[] value) throws IOException {
    byte[] body = Arrays.copyOfRange(value, 5, value.length);
    return new SpecificDatumReader<ShotCounts>(ShotCounts.SCHEMA$)
        .read(null, DecoderFactory.get().binaryDecoder(body, null));
  }
}
