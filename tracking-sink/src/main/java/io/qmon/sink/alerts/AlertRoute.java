package io.qmon.sink.alerts;

import io.qmon.schemas.Alert;

/** A destination of alert notifications (log, webhook, Alertmanager). */
public interface AlertRoute {
  /** Short name for logs. */
  String name();

  /**
   * Delivers one notification.
   *
   * @throws DeliveryException when it could not be delivered after the route's own retries
   */
  void send(Alert alert);

  /** A notification that could not be delivered. */
  final class DeliveryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DeliveryException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
