package io.qmon.producers.sdk;

import io.qmon.schemas.validation.Rejection;

/**
 * An event refused before it was sent. {@link #field()} names the offending field (for instance
 * {@code counts[2]} or {@code epoch}); the message starts with it and says what is wrong.
 */
public final class InvalidEventException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String field;

  public InvalidEventException(String field, String problem) {
    super(field + ": " + problem);
    this.field = field;
  }

  /** A refusal by the shared validator; its reason names the field already. */
  InvalidEventException(Rejection rejection) {
    super(rejection.reason());
    this.field = rejection.field() == null ? "event" : rejection.field();
  }

  /** The field that failed validation, with its index for array elements. */
  public String field() {
    return field;
  }
}
