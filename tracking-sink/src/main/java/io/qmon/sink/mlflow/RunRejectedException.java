package io.qmon.sink.mlflow;

/**
 * The destination refused something about one run for good (for MLflow: a 4xx answer other than
 * 401, 403 and 429, such as an empty experiment name or an invalid param). Retrying would not help;
 * the lane skips that run's records with this reason and keeps writing every other run.
 */
final class RunRejectedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  RunRejectedException(String message, Throwable cause) {
    super(message, cause);
  }
}
