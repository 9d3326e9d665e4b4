package io.qmon.tests.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qmon.schemas.AlertState;
import io.qmon.schemas.Severity;
import io.qmon.schemas.Topics;
import io.qmon.sink.TrackingSinkConfig;
import io.qmon.sink.alerts.AlertNotifier;
import io.qmon.stack.EmbeddedStack;
import io.qmon.stack.Ports;
import io.qmon.stack.StackSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The alert notifier over a real broker, routing to a real Alertmanager (Debian package) whose
 * webhook receiver, like qmon's direct webhook, is a local HTTP receiver that records what arrives:
 * one firing per alert, its resolution, nothing for repeats or flapping re-fires.
 */
class AlertNotifierIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static EmbeddedStack stack;
  private static WebhookReceiver receiver;
  private static LocalServer alertmanager;
  private static AlertNotifier notifier;

  @BeforeAll
  static void start() throws Exception {
    stack = EmbeddedStack.start(StackSettings.fromSystemProperties());
    receiver = new WebhookReceiver();
    Path dir = Files.createTempDirectory("qmon-alertmanager-it");
    Path config = dir.resolve("alertmanager.yml");
    Files.writeString(
        config,
        // A short resolve_timeout: an alert posted once without endsAt would be resolved after
        // 10 s; the notifier's resends must keep it active.
        "global:\n"
            + "  resolve_timeout: 10s\n"
            + "route:\n"
            + "  receiver: qmon-it\n"
            + "  group_by: ['alertname', 'run_id']\n"
            + "  group_wait: 1s\n"
            + "  group_interval: 1s\n"
            + "  repeat_interval: 1h\n"
            + "receivers:\n"
            + "  - name: qmon-it\n"
            + "    webhook_configs:\n"
            + "      - url: '"
            + receiver.url("/alertmanager")
            + "'\n"
            + "        send_resolved: true\n");
    int port = Ports.freeLoopbackPort();
    alertmanager =
        new LocalServer(
                "alertmanager",
                List.of(
                    "prometheus-alertmanager",
                    "--config.file=" + config,
                    "--storage.path=" + dir.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + port,
                    "--cluster.listen-address="),
                dir,
                "http://127.0.0.1:" + port)
            .awaitReady("/-/ready", Duration.ofSeconds(30));
    notifier =
        AlertNotifier.start(
            TrackingSinkConfig.of(
                Map.of(
                    "kafka.bootstrap-servers",
                    stack.bootstrapServers(),
                    "schema-registry.url",
                    stack.schemaRegistryUrl(),
                    "kafka.group-id-prefix",
                    "it-alerts",
                    "alerts.state-dir",
                    dir.resolve("streams").toString(),
                    "alerts.webhook-urls",
                    receiver.url("/direct"),
                    "alerts.alertmanager-url",
                    alertmanager.baseUrl(),
                    "alerts.flap-window",
                    "PT1M",
                    "alerts.resend-interval",
                    "PT2S",
                    "alerts.ends-at-intervals",
                    "4",
                    "alerts.mlflow-ui-url",
                    "http://127.0.0.1:5000")),
            stack.schemaRegistry());
  }

  @AfterAll
  static void stop() {
    if (notifier != null) {
      notifier.close();
    }
    if (alertmanager != null) {
      alertmanager.close();
    }
    if (receiver != null) {
      receiver.close();
    }
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void shouldRouteFiringAndResolvedOnceToWebhookAndAlertmanagerAndSuppressFlapping()
      throws Exception {
    String run = "it-am-run";
    try (TopicWriter writer = new TopicWriter(stack.bootstrapServers(), stack.schemaRegistry())) {
      writer.send(
          Topics.ALERTS, run, SinkRecords.alert("a1", run, AlertState.FIRING, Severity.CRITICAL));
      writer.send(
          Topics.ALERTS, run, SinkRecords.alert("a1", run, AlertState.FIRING, Severity.CRITICAL));
      await(() -> notifier.stats().duplicates() == 1 && receiver.direct().size() == 1);
      JsonNode firing = receiver.direct().get(0);
      assertEquals("firing", firing.path("status").asText());
      assertEquals("a1", firing.path("alert_id").asText());
      assertEquals("critical", firing.path("severity").asText());

      // Alertmanager's notifications of this run's group (the other test's run has its own).
      await(() -> !notificationsOf(run).isEmpty());
      JsonNode grouped = notificationsOf(run).get(0);
      assertEquals("firing", grouped.path("status").asText());
      JsonNode labels = grouped.path("alerts").get(0).path("labels");
      assertEquals(run, labels.path("run_id").asText());
      assertEquals("zscore", labels.path("detector").asText());
      assertEquals("jsd", labels.path("metric").asText());
      assertEquals("critical", labels.path("severity").asText());
      assertEquals("QmonAnomaly", labels.path("alertname").asText());
      JsonNode annotations = grouped.path("alerts").get(0).path("annotations");
      assertTrue(annotations.path("description").asText().contains("jsd"), annotations.toString());
      assertTrue(annotations.path("summary").asText().contains(run), annotations.toString());
      JsonNode active = alertmanagerAlerts(run);
      assertEquals(1, active.size(), active.toString());
      assertEquals(run, active.get(0).path("labels").path("run_id").asText());

      writer.send(
          Topics.ALERTS, run, SinkRecords.alert("a1", run, AlertState.RESOLVED, Severity.CRITICAL));
      await(() -> receiver.direct().size() == 2);
      assertEquals("resolved", receiver.direct().get(1).path("status").asText());
      await(
          () ->
              notificationsOf(run).stream()
                  .anyMatch(b -> b.path("status").asText().equals("resolved")));

      // Re-fired within the flap window: held back, and so is its resolution.
      writer.send(
          Topics.ALERTS, run, SinkRecords.alert("a2", run, AlertState.FIRING, Severity.CRITICAL));
      writer.send(
          Topics.ALERTS, run, SinkRecords.alert("a2", run, AlertState.RESOLVED, Severity.CRITICAL));
      await(() -> notifier.stats().suppressed() == 2);
      Thread.sleep(2000);
      assertEquals(2, receiver.direct().size(), receiver.direct().toString());
      assertEquals(0, notifier.stats().failed());
    }
  }

  /**
   * Shows the fix of issue 13: with Alertmanager's resolve_timeout at 10 s and the notifier
   * re-posting every 2 s with endsAt 8 s ahead, an alert that fires for 25 s stays active in
   * Alertmanager throughout (past resolve_timeout and past the first post's endsAt), its endsAt
   * moving ahead; after RESOLVED it is gone.
   */
  @Test
  void shouldKeepAFiringAlertActiveInAlertmanagerPastItsResolveTimeoutAndEndItOnResolution()
      throws Exception {
    String run = "it-am-resend";
    io.qmon.schemas.Alert firing =
        io.qmon.schemas.Alert.newBuilder(
                SinkRecords.alert("r1", run, AlertState.FIRING, Severity.WARNING))
            .setExperiment("it-experiment")
            .setConfigId("it-config")
            .build();
    try (TopicWriter writer = new TopicWriter(stack.bootstrapServers(), stack.schemaRegistry())) {
      long start = System.nanoTime();
      writer.send(Topics.ALERTS, run, firing);
      await(
          () -> {
            try {
              return alertmanagerAlerts(run).size() == 1;
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          });
      JsonNode first = alertmanagerAlerts(run).get(0);
      JsonNode labels = first.path("labels");
      assertEquals("it-experiment", labels.path("experiment").asText());
      assertEquals("it-config", labels.path("config_id").asText());
      assertEquals("zscore", labels.path("detector").asText());
      assertEquals("warning", labels.path("severity").asText());
      assertTrue(
          first.path("annotations").path("summary").asText().contains(run), first.toString());
      assertTrue(
          first.path("annotations").path("description").asText().contains("threshold"),
          first.toString());
      assertTrue(
          first.path("generatorURL").asText().startsWith("http://127.0.0.1:5000/#/experiments?"),
          first.toString());
      java.time.Instant firstEndsAt = java.time.Instant.parse(first.path("endsAt").asText());

      List<java.time.Instant> endsAts = new java.util.ArrayList<>();
      while (System.nanoTime() - start < Duration.ofSeconds(25).toNanos()) {
        Thread.sleep(1000);
        JsonNode active = alertmanagerAlerts(run);
        assertEquals(
            1,
            active.size(),
            "still active after "
                + Duration.ofNanos(System.nanoTime() - start).toSeconds()
                + " s: "
                + active);
        assertEquals("active", active.get(0).path("status").path("state").asText());
        endsAts.add(java.time.Instant.parse(active.get(0).path("endsAt").asText()));
      }
      java.time.Instant lastEndsAt = endsAts.get(endsAts.size() - 1);
      assertTrue(
          lastEndsAt.isAfter(firstEndsAt.plusSeconds(12)),
          "endsAt moved ahead with the resends: first " + firstEndsAt + ", last " + lastEndsAt);
      assertTrue(lastEndsAt.isAfter(java.time.Instant.now()), "endsAt ahead of now");
      assertTrue(notifier.stats().resent() >= 8, notifier.stats().toString());

      long activeSeconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
      long resolvedAt = System.nanoTime();
      writer.send(
          Topics.ALERTS,
          run,
          io.qmon.schemas.Alert.newBuilder(firing).setState(AlertState.RESOLVED).build());
      await(
          () -> {
            try {
              return alertmanagerAlerts(run).size() == 0;
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          });
      System.out.printf(
          "Alertmanager resend: active for %d s with resolve_timeout 10 s, %d resends, endsAt"
              + " %s -> %s; gone %d ms after RESOLVED was written%n",
          activeSeconds,
          notifier.stats().resent(),
          firstEndsAt,
          lastEndsAt,
          Duration.ofNanos(System.nanoTime() - resolvedAt).toMillis());
    }
  }

  /** The notifications Alertmanager's webhook sent about the run's group. */
  private static List<JsonNode> notificationsOf(String run) {
    return receiver.alertmanager().stream()
        .filter(b -> run.equals(b.path("groupLabels").path("run_id").asText()))
        .toList();
  }

  /** The alerts Alertmanager holds (active, not yet ended) for the run. */
  private static JsonNode alertmanagerAlerts(String run) throws Exception {
    String filter =
        java.net.URLEncoder.encode(
            "run_id=\"" + run + "\"", java.nio.charset.StandardCharsets.UTF_8);
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(alertmanager.baseUrl() + "/api/v2/alerts?filter=" + filter))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(response.body());
  }

  private static void await(BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "Not reached: "
                + notifier.stats()
                + " direct="
                + receiver.direct()
                + " alertmanager="
                + receiver.alertmanager());
      }
      Thread.sleep(100);
    }
  }
}
