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
        "route:\n"
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
                    "kafka.bootstrap-servers", stack.bootstrapServers(),
                    "schema-registry.url", stack.schemaRegistryUrl(),
                    "kafka.group-id-prefix", "it-alerts",
                    "alerts.state-dir", dir.resolve("streams").toString(),
                    "alerts.webhook-urls", receiver.url("/direct"),
                    "alerts.alertmanager-url", alertmanager.baseUrl(),
                    "alerts.flap-window", "PT1M")),
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

      await(() -> !receiver.alertmanager().isEmpty());
      JsonNode grouped = receiver.alertmanager().get(0);
      assertEquals("firing", grouped.path("status").asText());
      JsonNode labels = grouped.path("alerts").get(0).path("labels");
      assertEquals(run, labels.path("run_id").asText());
      assertEquals("zscore", labels.path("detector").asText());
      assertEquals("jsd", labels.path("metric").asText());
      assertEquals("critical", labels.path("severity").asText());
      assertEquals("QmonAnomaly", labels.path("alertname").asText());
      assertTrue(
          grouped
              .path("alerts")
              .get(0)
              .path("annotations")
              .path("reason")
              .asText()
              .contains("jsd"));
      JsonNode active = alertmanagerAlerts();
      assertEquals(1, active.size(), active.toString());
      assertEquals(run, active.get(0).path("labels").path("run_id").asText());

      writer.send(
          Topics.ALERTS, run, SinkRecords.alert("a1", run, AlertState.RESOLVED, Severity.CRITICAL));
      await(() -> receiver.direct().size() == 2);
      assertEquals("resolved", receiver.direct().get(1).path("status").asText());
      await(
          () ->
              receiver.alertmanager().stream()
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

  private static JsonNode alertmanagerAlerts() throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(alertmanager.baseUrl() + "/api/v2/alerts"))
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
