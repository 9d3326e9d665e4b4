package io.qmon.sink.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qmon.schemas.Alert;
import io.qmon.schemas.AlertState;
import io.qmon.schemas.Severity;
import io.qmon.schemas.Topics;
import io.qmon.schemas.serde.SchemaRegistry;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AlertNotifierTopologyTest {
  private final List<Alert> delivered = new ArrayList<>();
  private final NotifierStats stats = new NotifierStats();
  private TopologyTestDriver driver;
  private TestInputTopic<String, Alert> alerts;

  /** A route that records what reaches it. */
  private final AlertRoute recording =
      new AlertRoute() {
        @Override
        public String name() {
          return "recording";
        }

        @Override
        public void send(Alert alert) {
          delivered.add(alert);
        }
      };

  @BeforeEach
  void setUp() throws Exception {
    AlertSerde serde = new AlertSerde(new MapSchemaRegistry());
    driver =
        new TopologyTestDriver(
            AlertNotifierTopology.buildTopology(
                serde, Duration.ofMinutes(1), List.of(recording, new LogRoute()), stats),
            AlertNotifierTopology.streamsConfig(
                "test", "unused:9092", Files.createTempDirectory("streams").toString()));
    alerts = driver.createInputTopic(Topics.ALERTS, new StringSerializer(), serde.serializer());
  }

  @AfterEach
  void tearDown() {
    driver.close();
  }

  @Test
  void shouldNotifyFiringOnceAndItsResolution() {
    alerts.pipeInput("run-1", alert("a1", AlertState.FIRING, 0));
    alerts.pipeInput("run-1", alert("a1", AlertState.FIRING, 1));
    alerts.pipeInput("run-1", alert("a1", AlertState.RESOLVED, 2));
    alerts.pipeInput("run-1", alert("a1", AlertState.RESOLVED, 3));
    assertEquals(List.of(AlertState.FIRING, AlertState.RESOLVED), states());
    assertEquals(2, stats.duplicates());
  }

  @Test
  void shouldSuppressReFiringWithinTheFlapWindowAndItsResolution() {
    alerts.pipeInput("run-1", alert("a1", AlertState.FIRING, 0));
    alerts.pipeInput("run-1", alert("a1", AlertState.RESOLVED, 10));
    alerts.pipeInput("run-1", alert("a2", AlertState.FIRING, 20));
    alerts.pipeInput("run-1", alert("a2", AlertState.RESOLVED, 30));
    alerts.pipeInput("run-1", alert("a3", AlertState.FIRING, 30 + 61));
    assertEquals(List.of("a1", "a1", "a3"), delivered.stream().map(Alert::getAlertId).toList());
    assertEquals(2, stats.suppressed());
  }

  @Test
  void shouldKeepRunsAndMetricsApart() {
    alerts.pipeInput("run-1", alert("a1", AlertState.FIRING, 0));
    alerts.pipeInput("run-2", alert("run-2", "b1", "jsd", AlertState.FIRING, 0));
    alerts.pipeInput("run-1", alert("run-1", "c1", "fidelity", AlertState.FIRING, 0));
    assertEquals(3, delivered.size());
  }

  @Test
  void shouldNotNotifyResolutionOfSomethingNeverFired() {
    alerts.pipeInput("run-1", alert("a9", AlertState.RESOLVED, 0));
    assertTrue(delivered.isEmpty());
  }

  @Test
  void shouldCountARouteFailureAndKeepDeliveringToTheOthers() {
    driver.close();
    AlertSerde serde = new AlertSerde(new MapSchemaRegistry());
    AlertRoute broken =
        new AlertRoute() {
          @Override
          public String name() {
            return "broken";
          }

          @Override
          public void send(Alert alert) {
            throw new DeliveryException("receiver down", null);
          }
        };
    try {
      driver =
          new TopologyTestDriver(
              AlertNotifierTopology.buildTopology(
                  serde, Duration.ofMinutes(1), List.of(broken, recording), stats),
              AlertNotifierTopology.streamsConfig(
                  "test2", "unused:9092", Files.createTempDirectory("streams").toString()));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    alerts = driver.createInputTopic(Topics.ALERTS, new StringSerializer(), serde.serializer());
    alerts.pipeInput("run-1", alert("a1", AlertState.FIRING, 0));
    assertEquals(1, delivered.size());
    assertEquals(1, stats.failed());
  }

  private List<AlertState> states() {
    return delivered.stream().map(Alert::getState).toList();
  }

  private static Alert alert(String id, AlertState state, int second) {
    return alert("run-1", id, "jsd", state, second);
  }

  private static Alert alert(String run, String id, String metric, AlertState state, int second) {
    return Alert.newBuilder()
        .setAlertId(id)
        .setRunId(run)
        .setDetector("cusum")
        .setMetric(metric)
        .setState(state)
        .setSeverity(Severity.WARNING)
        .setValue(0.3)
        .setThreshold(0.2)
        .setEpoch(second)
        .setEventTime(Instant.ofEpochSecond(1_700_000_000L + second))
        .setReason("drift")
        .build();
  }

  /** A registry held in a map, so the Confluent serde runs without a server in unit tests. */
  static final class MapSchemaRegistry implements SchemaRegistry {
    private final Map<Integer, Schema> byId = new HashMap<>();

    @Override
    public synchronized int register(String subject, Schema schema) {
      for (var e : byId.entrySet()) {
        if (e.getValue().equals(schema)) {
          return e.getKey();
        }
      }
      byId.put(byId.size() + 1, schema);
      return byId.size();
    }

    @Override
    public synchronized Schema schemaById(int id) {
      return byId.get(id);
    }

    @Override
    public void setCompatibility(String subject, String level) {}

    @Override
    public boolean isCompatible(String subject, Schema schema) {
      return true;
    }
  }
}
