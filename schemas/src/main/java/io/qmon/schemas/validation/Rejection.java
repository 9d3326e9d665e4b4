package io.qmon.schemas.validation;

/**
 * Why an event was refused: a stable code for counters and routing, the offending field (with its
 * index for array elements; null when the refusal is not about one field, e.g. the run's state),
 * and a message a user can act on, which names the field and value.
 */
public record Rejection(String errorType, String field, String reason) {
  public Rejection {
    if (errorType == null || reason == null) {
      throw new IllegalArgumentException("errorType and reason must be set");
    }
  }

  /** A refusal that is not about one field of the event. */
  public Rejection(String errorType, String reason) {
    this(errorType, null, reason);
  }
}
