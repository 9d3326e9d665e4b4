package io.qmon.producers.sdk;

/**
 * An event that Kafka did not accept after the producer's own retries (delivery timeout, broker
 * refusal, full buffer after {@code max.block.ms}), or whose schema could not be registered.
 */
public final class PublishException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PublishException(String message, Throwable cause) {
    super(message, cause);
  }
}
