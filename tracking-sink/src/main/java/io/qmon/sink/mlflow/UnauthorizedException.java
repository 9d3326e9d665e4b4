package io.qmon.sink.mlflow;

/**
 * The destination refused the sink's credentials (HTTP 401 or 403). Not final: credentials get
 * fixed or rotated, so the lane pauses, raises the alarm and retries with backoff, committing
 * nothing it has not written.
 */
final class UnauthorizedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UnauthorizedException(String message, Throwable cause) {
    super(message, cause);
  }
}
