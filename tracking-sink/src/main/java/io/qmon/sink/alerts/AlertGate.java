package io.qmon.sink.alerts;

import io.qmon.schemas.Alert;
import io.qmon.schemas.AlertState;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passes on only the alerts worth a notification: drops repeats of the same alert in the same
 * state, resolutions of nothing notified, and re-fires within the flap window after a resolution
 * (with their later resolution). Keyed by run (the topic's key); remembers per run, detector and
 * metric in a state store, so decisions survive restarts.
 */
final class AlertGate implements Processor<String, Alert, String, Alert> {
  private static final Logger LOG = LoggerFactory.getLogger(AlertGate.class);

  private final String storeName;
  private final long flapWindowMillis;
  private final NotifierStats stats;
  private KeyValueStore<String, String> store;
  private ProcessorContext<String, Alert> context;

  AlertGate(String storeName, long flapWindowMillis, NotifierStats stats) {
    this.storeName = storeName;
    this.flapWindowMillis = flapWindowMillis;
    this.stats = stats;
  }

  @Override
  public void init(ProcessorContext<String, Alert> context) {
    this.context = context;
    this.store = context.getStateStore(storeName);
  }

  @Override
  public void process(Record<String, Alert> record) {
    Alert alert = record.value();
    if (alert == null) {
      return;
    }
    String key = alert.getRunId() + '|' + alert.getDetector() + '|' + alert.getMetric();
    AlertMemory last = AlertMemory.decode(store.get(key));
    long eventTime = alert.getEventTime().toEpochMilli();
    AlertDecision decision =
        AlertDecision.decide(
            last, alert.getAlertId(), alert.getState(), eventTime, flapWindowMillis);
    stats.count(decision);
    switch (decision) {
      case NOTIFY -> {
        store.put(
            key, new AlertMemory(alert.getAlertId(), alert.getState(), eventTime, false).encode());
        context.forward(record.withKey(alert.getRunId()));
      }
      case SUPPRESS_FLAPPING -> {
        LOG.info(
            "Suppressing flapping alert {} ({} {} of run {})",
            alert.getAlertId(),
            alert.getDetector(),
            alert.getMetric(),
            alert.getRunId());
        store.put(
            key,
            new AlertMemory(
                    alert.getAlertId(),
                    alert.getState(),
                    eventTime,
                    alert.getState() == AlertState.FIRING)
                .encode());
      }
      case DUPLICATE, NOTHING_TO_RESOLVE ->
          LOG.debug("Dropping {} alert {}: {}", alert.getState(), alert.getAlertId(), decision);
    }
  }
}
