package io.qmon.bench;

import io.qmon.schemas.ShotCounts;
import java.nio.charset.StandardCharsets;

/**
 * Writes the publish time into an already serialized {@link ShotCounts} value, so events can be
 * serialized before the clock starts and still carry the time they were actually sent.
 *
 * <p>Avro writes {@code event_time} as a zig-zag varint right after {@code run_id}, {@code
 * producer_id}, {@code seq}, the {@code producer_session} union, {@code epoch} and the {@code
 * circuit} union. Every millisecond time between 2004 and 2039 takes six varint bytes, so a later
 * time overwrites an earlier one in place; a time of another length is refused rather than
 * corrupting the record.
 */
final class EventTimeStamp {
  private static final int HEADER = 5;

  private EventTimeStamp() {}

  /** Offset of {@code event_time} in the framed value of {@code event} (circuit must be null). */
  static int offsetOf(ShotCounts event) {
    if (event.getCircuit() != null) {
      throw new IllegalArgumentException("benchmark events carry no circuit name");
    }
    return HEADER
        + stringLength(event.getRunId())
        + stringLength(event.getProducerId())
        + varintLength(zigZag(event.getSeq()))
        + unionOfNullOrString(event.getProducerSession())
        + varintLength(zigZag(event.getEpoch()))
        + 1;
  }

  /** Overwrites the varint at {@code offset} with {@code epochMillis}. */
  static void write(byte[] value, int offset, long epochMillis) {
    long encoded = zigZag(epochMillis);
    int length = varintLength(encoded);
    int existing = existingLength(value, offset);
    if (length != existing) {
      throw new IllegalStateException(
          "event time "
              + epochMillis
              + " needs "
              + length
              + " varint bytes but the serialized event holds "
              + existing);
    }
    for (int i = 0; i < length - 1; i++) {
      value[offset + i] = (byte) ((encoded & 0x7f) | 0x80);
      encoded >>>= 7;
    }
    value[offset + length - 1] = (byte) encoded;
  }

  private static int existingLength(byte[] value, int offset) {
    int i = offset;
    while ((value[i] & 0x80) != 0) {
      i++;
    }
    return i - offset + 1;
  }

  /** A ["null", "string"] union: the branch index (one byte), then the string if any. */
  private static int unionOfNullOrString(CharSequence s) {
    return 1 + (s == null ? 0 : stringLength(s.toString()));
  }

  private static int stringLength(String s) {
    int bytes = s.getBytes(StandardCharsets.UTF_8).length;
    return varintLength(zigZag(bytes)) + bytes;
  }

  private static long zigZag(long n) {
    return (n << 1) ^ (n >> 63);
  }

  private static int varintLength(long encoded) {
    int length = 1;
    while ((encoded & ~0x7fL) != 0) {
      encoded >>>= 7;
      length++;
    }
    return length;
  }
}
