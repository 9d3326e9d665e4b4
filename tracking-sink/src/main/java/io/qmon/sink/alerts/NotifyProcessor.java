package io.qmon.sink.alerts;

import io.qmon.schemas.Alert;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each alert that passed the gate to every route. A route that fails after its retries is
 * counted and logged with the alert; the other routes still get it, and the stream goes on.
 */
final class NotifyProcessor implements Processor<String, Alert, Void, Void> {
  private static final Logger LOG = LoggerFactory.getLogger(NotifyProcessor.class);

  private final List<AlertRoute> routes;
  private final NotifierStats stats;

  NotifyProcessor(List<AlertRoute> routes, NotifierStats stats) {
    this.routes = routes;
    this.stats = stats;
  }

  @Override
  public void process(Record<String, Alert> record) {
    for (AlertRoute route : routes) {
      try {
        route.send(record.value());
        stats.countDelivered();
      } catch (AlertRoute.DeliveryException e) {
        stats.countFailed();
        LOG.error(
            "Alert {} ({}) not delivered to {}",
            record.value().getAlertId(),
            record.value().getState(),
            route.name(),
            e);
      }
    }
  }
}
