package io.qmon.sink.alerts;

import java.util.List;

/** Posts alerts to Alertmanager's API v2. */
@FunctionalInterface
public interface AlertmanagerClient {
  /**
   * Posts the alerts in one request.
   *
   * @throws AlertRoute.DeliveryException when Alertmanager could not be reached or refused them
   */
  void post(List<AlertmanagerAlert> alerts);
}
