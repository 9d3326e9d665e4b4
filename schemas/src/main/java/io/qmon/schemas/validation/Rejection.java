package io.qmon.schemas.validation;

/**
 * Why an event was refused: a stable code for counters and routing, the offending field (with its
 * index for array elements; null when the refusal is not about one field, e.g. the run's state),
 * and a message a user can act on, which names the field and value.
 */
public record Rejection(ErrorType type, String field, String reason) {
  public Rejection {
    if (type == null || reason == null) {
      throw new IllegalArgumentException("type and reason must be set");
    }
  }

  /** A refusal that is not about one field of the event. */
  public Rejection(ErrorType type, String reason) {
    this(type, null, reason);
  }

  /** The code as written in a dead letter's {@code error_type}. */
  public String errorType() {
    return type.name();
  }
}
