package io.qmon.sink.alerts;

import io.qmon.schemas.Alert;
import io.qmon.schemas.AlertState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Talks to Alertmanager the way Prometheus does: posts each alert that passed the gate, keeps the
 * firing ones in a state store (so a restart keeps re-posting them) and re-posts them from a
 * wall-clock punctuator with {@code endsAt} ahead, as {@link AlertmanagerResend} decides; a
 * resolution is posted with {@code endsAt} = now and forgotten. A failed post is counted and
 * logged; a firing alert is retried by the next resend, a lost resolution ends in Alertmanager at
 * the last {@code endsAt}.
 */
final class AlertmanagerForwarder implements Processor<String, Alert, Void, Void> {
  private static final Logger LOG = LoggerFactory.getLogger(AlertmanagerForwarder.class);

  private final String storeName;
  private final AlertmanagerResend resend;
  private final RunLinks links;
  private final AlertmanagerClient notifyClient;
  private final AlertmanagerClient resendClient;
  private final Duration checkEvery;
  private final NotifierStats stats;
  private KeyValueStore<String, String> store;
  private ProcessorContext<Void, Void> context;

  /**
   * @param notifyClient posts new alerts and resolutions (with the route's retries)
   * @param resendClient posts resends (one attempt: the next resend is the retry)
   * @param checkEvery how often the punctuator looks for due resends
   */
  AlertmanagerForwarder(
      String storeName,
      AlertmanagerResend resend,
      RunLinks links,
      AlertmanagerClient notifyClient,
      AlertmanagerClient resendClient,
      Duration checkEvery,
      NotifierStats stats) {
    this.storeName = storeName;
    this.resend = resend;
    this.links = links;
    this.notifyClient = notifyClient;
    this.resendClient = resendClient;
    this.checkEvery = checkEvery;
    this.stats = stats;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    this.context = context;
    this.store = context.getStateStore(storeName);
    context.schedule(checkEvery, PunctuationType.WALL_CLOCK_TIME, this::resendDue);
    stats.setAlertmanagerFiring(store.approximateNumEntries());
  }

  @Override
  public void process(Record<String, Alert> record) {
    Alert alert = record.value();
    String key = alert.getRunId() + '|' + alert.getDetector() + '|' + alert.getMetric();
    long now = context.currentSystemTimeMs();
    if (alert.getState() == AlertState.FIRING) {
      AlertmanagerResend.Firing firing = resend.fire(key, AlertmanagerAlerts.of(alert, links), now);
      store.put(key, AlertJson.encode(firing));
      post(notifyClient, List.of(resend.firingPost(firing, now)), alert.getAlertId());
    } else {
      String stored = store.get(key);
      AlertmanagerAlert firing =
          stored == null ? AlertmanagerAlerts.of(alert, links) : AlertJson.decode(stored).alert();
      store.delete(key);
      post(notifyClient, List.of(resend.resolvedPost(firing, now)), alert.getAlertId());
    }
    stats.setAlertmanagerFiring(store.approximateNumEntries());
  }

  private void resendDue(long now) {
    List<AlertmanagerResend.Firing> kept = new ArrayList<>();
    try (KeyValueIterator<String, String> all = store.all()) {
      while (all.hasNext()) {
        KeyValue<String, String> entry = all.next();
        kept.add(AlertJson.decode(entry.value));
      }
    }
    AlertmanagerResend.Due due = resend.due(kept, now);
    for (AlertmanagerResend.Firing expired : due.expired()) {
      LOG.info(
          "No longer re-posting {} to Alertmanager: firing longer than the maximum age; it ends"
              + " there at its last endsAt",
          expired.key());
      store.delete(expired.key());
    }
    if (due.resend().isEmpty()) {
      stats.setAlertmanagerFiring(store.approximateNumEntries());
      return;
    }
    List<AlertmanagerAlert> posts = new ArrayList<>();
    for (AlertmanagerResend.Firing firing : due.resend()) {
      store.put(firing.key(), AlertJson.encode(firing));
      posts.add(resend.firingPost(firing, now));
    }
    if (post(resendClient, posts, posts.size() + " firing alerts (resend)")) {
      stats.countResent(posts.size());
    }
    stats.setAlertmanagerFiring(store.approximateNumEntries());
  }

  private boolean post(AlertmanagerClient client, List<AlertmanagerAlert> alerts, String what) {
    try {
      client.post(alerts);
      stats.countDelivered();
      return true;
    } catch (AlertRoute.DeliveryException e) {
      stats.countFailed();
      LOG.error("Alert {} not delivered to Alertmanager", what, e);
      return false;
    }
  }
}
