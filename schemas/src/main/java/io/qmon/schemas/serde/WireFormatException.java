package io.qmon.schemas.serde;

import io.qmon.schemas.validation.ErrorType;

/**
 * Bytes that are not a readable Confluent-framed Avro record: a wrong magic byte, a truncated
 * frame, an unknown schema id, or Avro binary that does not decode. Such records go to the
 * dead-letter topic with {@link #errorType()} and the message as reason.
 */
public final class WireFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorType errorType;

  public WireFormatException(ErrorType errorType, String message, Throwable cause) {
    super(message, cause);
    this.errorType = errorType;
  }

  public ErrorType errorType() {
    return errorType;
  }
}
