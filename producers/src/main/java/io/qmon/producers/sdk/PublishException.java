package io.qmon.producers.sdk;

/** An event that Kafka did not accept (after the producer's own retries), or that was refused. */
public final class PublishException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PublishException(String message, Throwable cause) {
    super(message, cause);
  }
}
