package io.qmon.jobs.records;

import io.qmon.schemas.DeadLetter;
import io.qmon.schemas.validation.InputBounds;
import io.qmon.schemas.validation.Rejection;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Builds dead letters: the source position, what was refused, and why.
 *
 * <p>A dead letter embeds its input, so a large input could make a record Kafka refuses (and fail
 * the job's sink): the embedded key and value keep their first {@value #MAX_EMBEDDED_BYTES} bytes,
 * and the reason says so with the original size. The full input stays at the source position.
 *
 * <p>The rejection time comes from the caller's clock (an operator's processing-time service), so
 * tests and replays control it.
 */
public final class DeadLetters {
  /** Largest embedded key or value: 64 KiB, well under Kafka's default 1 MiB record limit. */
  public static final int MAX_EMBEDDED_BYTES = 64 * 1024;

  private DeadLetters() {}

  /** A record rejected before it could be decoded; keeps its raw key and value bytes. */
  public static DeadLetter undecodable(
      String topic,
      int partition,
      long offset,
      byte[] key,
      byte[] value,
      String errorType,
      String reason,
      Instant rejectedTime) {
    return DeadLetter.newBuilder()
        .setSourceTopic(topic)
        .setSourcePartition(partition)
        .setSourceOffset(offset)
        .setKey(key == null ? null : capped(key))
        .setValue(value == null ? null : capped(value))
        .setErrorType(errorType)
        .setReason(reason + truncationNote("key", key) + truncationNote("value", value))
        .setRunId(null)
        .setRejectedTime(rejectedTime)
        .build();
  }

  /**
   * A decoded event refused by validation or by the run's state. The value holds the event's Avro
   * JSON rendering (what a person reading the DLQ needs); the source position locates the original
   * bytes on the input topic. A run id beyond {@link InputBounds#MAX_ID_LENGTH} is cut to it.
   */
  public static DeadLetter rejected(
      InputEvent source, Object event, Rejection rejection, Instant rejectedTime) {
    String runId = source.runId();
    if (runId != null && runId.length() > InputBounds.MAX_ID_LENGTH) {
      runId = runId.substring(0, InputBounds.MAX_ID_LENGTH);
    }
    byte[] value = String.valueOf(event).getBytes(StandardCharsets.UTF_8);
    return DeadLetter.newBuilder()
        .setSourceTopic(source.sourceTopic == null ? "unknown" : source.sourceTopic)
        .setSourcePartition(source.sourcePartition)
        .setSourceOffset(source.sourceOffset)
        .setKey(runId == null ? null : ByteBuffer.wrap(runId.getBytes(StandardCharsets.UTF_8)))
        .setValue(capped(value))
        .setErrorType(rejection.errorType())
        .setReason(rejection.reason() + truncationNote("value", value))
        .setRunId(runId)
        .setRejectedTime(rejectedTime)
        .build();
  }

  private static ByteBuffer capped(byte[] bytes) {
    return ByteBuffer.wrap(bytes, 0, Math.min(bytes.length, MAX_EMBEDDED_BYTES)).slice();
  }

  private static String truncationNote(String what, byte[] bytes) {
    if (bytes == null || bytes.length <= MAX_EMBEDDED_BYTES) {
      return "";
    }
    return " [dead letter "
        + what
        + " truncated to its first "
        + MAX_EMBEDDED_BYTES
        + " of "
        + bytes.length
        + " bytes]";
  }
}
