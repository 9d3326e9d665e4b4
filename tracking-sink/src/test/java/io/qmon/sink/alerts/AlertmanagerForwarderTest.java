package io.qmon.sink.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qmon.schemas.Alert;
import io.qmon.schemas.AlertState;
import io.qmon.schemas.Severity;
import io.qmon.schemas.Topics;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Alertmanager side of the topology, its wall clock moved by the test driver. */
class AlertmanagerForwarderTest {
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  private final List<List<AlertmanagerAlert>> notified = new ArrayList<>();
  private final List<List<AlertmanagerAlert>> resent = new ArrayList<>();
  private final NotifierStats stats = new NotifierStats();
  private boolean alertmanagerDown;
  private TopologyTestDriver driver;
  private TestInputTopic<String, Alert> alerts;

  @BeforeEach
  void setUp() throws Exception {
    AlertSerde serde = new AlertSerde(new AlertNotifierTopologyTest.MapSchemaRegistry());
    AlertNotifierTopology.AlertmanagerForwarding forwarding =
        new AlertNotifierTopology.AlertmanagerForwarding(
            new AlertmanagerResend(Duration.ofSeconds(10), 4, Duration.ofMinutes(5)),
            new RunLinks("http://mlflow.example:5000"),
            list -> record(notified, list),
            list -> record(resent, list),
            Duration.ofSeconds(2));
    driver =
        new TopologyTestDriver(
            AlertNotifierTopology.buildTopology(
                serde, Duration.ofMinutes(1), List.of(new LogRoute()), forwarding, stats),
            AlertNotifierTopology.streamsConfig(
                "test-am", "unused:9092", Files.createTempDirectory("streams").toString()),
            T0);
    alerts = driver.createInputTopic(Topics.ALERTS, new StringSerializer(), serde.serializer());
  }

  private void record(List<List<AlertmanagerAlert>> into, List<AlertmanagerAlert> posted) {
    if (alertmanagerDown) {
      throw new AlertRoute.DeliveryException("connection refused", null);
    }
    into.add(posted);
  }

  @AfterEach
  void tearDown() {
    driver.close();
  }

  @Test
  void shouldPostFiringWithLabelsAndEndsAtAheadThenResendEveryIntervalUntilResolved() {
    alerts.pipeInput("run-1", alert("a1", AlertState.FIRING));
    assertEquals(1, notified.size());
    AlertmanagerAlert first = notified.get(0).get(0);
    assertEquals("QmonAnomaly", first.labels().get("alertname"));
    assertEquals("bars-and-stripes", first.labels().get("experiment"));
    assertEquals("cfg-3", first.labels().get("config_id"));
    assertEquals("run-1", first.labels().get("run_id"));
    assertEquals("cusum", first.labels().get("detector"));
    assertEquals("warning", first.labels().get("severity"));
    assertTrue(
        first.annotations().get("summary").contains("run-1"), first.annotations().toString());
    assertTrue(first.annotations().get("description").contains("drift"));
    assertTrue(first.generatorUrl().startsWith("http://mlflow.example:5000/#/experiments?"));
    assertEquals(T0.plusSeconds(40), first.endsAt());

    // 35 s of wall clock in 1 s steps: resends at 10, 20 and 30 s, each 40 s ahead.
    for (int s = 1; s <= 35; s++) {
      driver.advanceWallClockTime(Duration.ofSeconds(1));
    }
    assertEquals(3, resent.size(), resent.toString());
    List<Instant> endsAts = resent.stream().map(p -> p.get(0).endsAt()).toList();
    assertEquals(List.of(T0.plusSeconds(50), T0.plusSeconds(60), T0.plusSeconds(70)), endsAts);
    assertEquals(first.labels(), resent.get(2).get(0).labels(), "the same alert each time");
    assertEquals(1, stats.alertmanagerFiring());

    alerts.pipeInput("run-1", alert("a1", AlertState.RESOLVED));
    AlertmanagerAlert resolution = notified.get(1).get(0);
    assertEquals(first.labels(), resolution.labels());
    assertEquals(T0.plusSeconds(35), resolution.endsAt(), "resolved now");
    for (int s = 1; s <= 30; s++) {
      driver.advanceWallClockTime(Duration.ofSeconds(1));
    }
    assertEquals(3, resent.size(), "nothing re-posted after the resolution");
    assertEquals(0, stats.alertmanagerFiring());
    assertEquals(3, stats.resent());
  }

  @Test
  void shouldRetryAFailedFirstPostWithTheNextResend() {
    alertmanagerDown = true;
    alerts.pipeInput("run-1", alert("a1", AlertState.FIRING));
    assertEquals(1, stats.failed());
    alertmanagerDown = false;
    driver.advanceWallClockTime(Duration.ofSeconds(10));
    assertEquals(1, resent.size());
    assertEquals(T0.plusSeconds(50), resent.get(0).get(0).endsAt());
  }

  @Test
  void shouldLeaveOutLabelsTheRunDoesNotHave() {
    Alert alert = alert("a1", AlertState.FIRING);
    alert.setExperiment(null);
    alert.setConfigId(null);
    alerts.pipeInput("run-1", alert);
    AlertmanagerAlert posted = notified.get(0).get(0);
    assertNull(posted.labels().get("experiment"));
    assertNull(posted.labels().get("config_id"));
    assertEquals("run-1", posted.labels().get("run_id"));
  }

  private static Alert alert(String id, AlertState state) {
    return Alert.newBuilder()
        .setAlertId(id)
        .setRunId("run-1")
        .setDetector("cusum")
        .setMetric("jsd")
        .setState(state)
        .setSeverity(Severity.WARNING)
        .setValue(0.3)
        .setThreshold(0.2)
        .setEpoch(7)
        .setEventTime(T0.minusSeconds(1))
        .setReason("drift")
        .setExperiment("bars-and-stripes")
        .setConfigId("cfg-3")
        .build();
  }
}
