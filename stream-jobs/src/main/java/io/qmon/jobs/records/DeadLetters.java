package io.qmon.jobs.records;

import io.qmon.schemas.DeadLetter;
import io.qmon.schemas.validation.Rejection;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** Builds dead letters: the source position, what was refused, and why. */
public final class DeadLetters {
  private DeadLetters() {}

  /** A record rejected before it could be decoded; keeps its raw key and value bytes. */
  public static DeadLetter undecodable(
      String topic,
      int partition,
      long offset,
      byte[] key,
      byte[] value,
      String errorType,
      String reason) {
    return DeadLetter.newBuilder()
        .setSourceTopic(topic)
        .setSourcePartition(partition)
        .setSourceOffset(offset)
        .setKey(key == null ? null : ByteBuffer.wrap(key))
        .setValue(value == null ? null : ByteBuffer.wrap(value))
        .setErrorType(errorType)
        .setReason(reason)
        .setRunId(null)
        .setRejectedTime(Instant.now())
        .build();
  }

  /**
   * A decoded event refused by validation or by the run's state. The value holds the event's Avro
   * JSON rendering (what a person reading the DLQ needs); the source position locates the original
   * bytes on the input topic.
   */
  public static DeadLetter rejected(InputEvent source, Object event, Rejection rejection) {
    String runId = source.runId();
    return DeadLetter.newBuilder()
        .setSourceTopic(source.sourceTopic == null ? "unknown" : source.sourceTopic)
        .setSourcePartition(source.sourcePartition)
        .setSourceOffset(source.sourceOffset)
        .setKey(runId == null ? null : ByteBuffer.wrap(runId.getBytes(StandardCharsets.UTF_8)))
        .setValue(ByteBuffer.wrap(String.valueOf(event).getBytes(StandardCharsets.UTF_8)))
        .setErrorType(rejection.errorType())
        .setReason(rejection.reason())
        .setRunId(runId)
        .setRejectedTime(Instant.now())
        .build();
  }
}
