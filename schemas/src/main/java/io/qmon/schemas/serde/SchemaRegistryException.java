package io.qmon.schemas.serde;

/** A registry request that the registry answered with an error, or that could not be made. */
public class SchemaRegistryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int httpStatus;

  public SchemaRegistryException(String message, int httpStatus) {
    super(message);
    this.httpStatus = httpStatus;
  }

  public SchemaRegistryException(String message, Throwable cause) {
    super(message, cause);
    this.httpStatus = -1;
  }

  /** The HTTP status of the registry's answer, or -1 when there was no answer. */
  public int httpStatus() {
    return httpStatus;
  }

  /** True when the registry answered 404: the subject, version or schema id does not exist. */
  public boolean isNotFound() {
    return httpStatus == 404;
  }

  /** True when the registry refused a schema as incompatible (409). */
  public boolean isIncompatible() {
    return httpStatus == 409;
  }

  /** True when the registry could not be reached or failed (5xx): retrying may succeed. */
  public boolean isRetriable() {
    return httpStatus < 0 || httpStatus >= 500;
  }
}
