package io.qmon.schemas.serde;

/**
 * Bytes that are not a readable Confluent-framed Avro record: a wrong magic byte, a truncated
 * frame, an unknown schema id, or Avro binary that does not decode. Such records go to the
 * dead-letter topic with {@link #errorType()} and the message as reason.
 */
public final class WireFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Stable codes for dead letters and counters. */
  public enum ErrorType {
    UNREADABLE,
    UNKNOWN_SCHEMA,
    WRONG_SCHEMA
  }

  private final ErrorType errorType;

  public WireFormatException(ErrorType errorType, String message, Throwable cause) {
    super(message, cause);
    this.errorType = errorType;
  }

  public ErrorType errorType() {
    return errorType;
  }
}
