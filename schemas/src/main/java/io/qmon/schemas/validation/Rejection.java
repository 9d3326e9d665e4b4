package io.qmon.schemas.validation;

/**
 * Why an event was refused: a stable code for counters and routing, and a message a user can act
 * on, which names the offending field and value.
 */
public record Rejection(String errorType, String reason) {
  public Rejection {
    if (errorType == null || reason == null) {
      throw new IllegalArgumentException("errorType and reason must be set");
    }
  }
}
