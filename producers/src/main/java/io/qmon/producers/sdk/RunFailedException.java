package io.qmon.producers.sdk;

/**
 * A checked exception thrown by a training loop given to {@link QmonPublisher#run}, rethrown
 * unchecked after the run was finished as FAILED or KILLED.
 */
public final class RunFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RunFailedException(String runId, Throwable cause) {
    super("run " + runId + " failed: " + cause, cause);
  }
}
