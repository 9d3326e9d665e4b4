package io.qmon.sink.alerts;

import io.qmon.schemas.Alert;
import io.qmon.schemas.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.state.Stores;

/**
 * The alert notifier's Kafka Streams topology over {@link Topics#ALERTS}: source (key = run_id) →
 * {@link AlertGate} (dedup and flap suppression, state per run/detector/metric) → {@link
 * NotifyProcessor} (log, webhooks) and {@link AlertmanagerForwarder} (Alertmanager, with resends).
 */
public final class AlertNotifierTopology {
  /** Name of the gate's state store. */
  public static final String STORE = "alert-memory";

  /** Name of the store of the firing alerts re-posted to Alertmanager. */
  public static final String FIRING_STORE = "alertmanager-firing";

  /**
   * How the notifier talks to Alertmanager.
   *
   * @param notifyClient posts new alerts and resolutions
   * @param resendClient posts resends
   * @param checkEvery how often the wall-clock punctuator looks for due resends
   */
  public record AlertmanagerForwarding(
      AlertmanagerResend resend,
      RunLinks links,
      AlertmanagerClient notifyClient,
      AlertmanagerClient resendClient,
      Duration checkEvery) {}

  private AlertNotifierTopology() {}

  /** Streams settings; the application id names the consumer group and state. */
  public static Properties streamsConfig(
      String applicationId, String bootstrapServers, String stateDir) {
    return streamsConfig(applicationId, bootstrapServers, stateDir, "read_committed", Map.of());
  }

  /**
   * Streams settings with the consumer's isolation level and pass-through Kafka client properties
   * (security ...), which apply to every client of the app.
   */
  public static Properties streamsConfig(
      String applicationId,
      String bootstrapServers,
      String stateDir,
      String isolationLevel,
      Map<String, String> kafkaProperties) {
    Properties props = new Properties();
    props.putAll(kafkaProperties);
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "1000");
    props.put(
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        LogAndContinueExceptionHandler.class.getName());
    props.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
    props.put(StreamsConfig.consumerPrefix("isolation.level"), isolationLevel);
    return props;
  }

  /** The topology without Alertmanager; routes and stats come from the caller. */
  public static Topology buildTopology(
      Serde<Alert> alertSerde, Duration flapWindow, List<AlertRoute> routes, NotifierStats stats) {
    return buildTopology(alertSerde, flapWindow, routes, null, stats);
  }

  /**
   * The topology; routes, the Alertmanager forwarding (null: none) and stats come from the caller
   * so tests can observe them.
   */
  public static Topology buildTopology(
      Serde<Alert> alertSerde,
      Duration flapWindow,
      List<AlertRoute> routes,
      AlertmanagerForwarding alertmanager,
      NotifierStats stats) {
    Topology topology = new Topology();
    topology.addSource(
        "alerts", Serdes.String().deserializer(), alertSerde.deserializer(), Topics.ALERTS);
    topology.addProcessor(
        "gate", () -> new AlertGate(STORE, flapWindow.toMillis(), stats), "alerts");
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(STORE), Serdes.String(), Serdes.String()),
        "gate");
    topology.addProcessor("notify", () -> new NotifyProcessor(routes, stats), "gate");
    if (alertmanager != null) {
      topology.addProcessor(
          "alertmanager",
          () ->
              new AlertmanagerForwarder(
                  FIRING_STORE,
                  alertmanager.resend(),
                  alertmanager.links(),
                  alertmanager.notifyClient(),
                  alertmanager.resendClient(),
                  alertmanager.checkEvery(),
                  stats),
          "gate");
      topology.addStateStore(
          Stores.keyValueStoreBuilder(
              Stores.persistentKeyValueStore(FIRING_STORE), Serdes.String(), Serdes.String()),
          "alertmanager");
    }
    return topology;
  }
}
