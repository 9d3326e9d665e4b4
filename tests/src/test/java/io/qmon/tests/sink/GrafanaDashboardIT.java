package io.qmon.tests.sink;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qmon.schemas.AlertState;
import io.qmon.schemas.RunCloseStatus;
import io.qmon.schemas.Severity;
import io.qmon.schemas.Topics;
import io.qmon.sink.prometheus.PrometheusSink;
import io.qmon.stack.EmbeddedStack;
import io.qmon.stack.StackSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No Grafana server runs here, so the dashboard is checked the way Grafana would use it: every
 * panel query of grafana/dashboards/*.json, with the template variables substituted, runs against a
 * real Prometheus scraping the exporter and must return at least one sample with a value.
 */
class GrafanaDashboardIT {
  private static EmbeddedStack stack;
  private static PrometheusSink sink;
  private static PrometheusServer prometheus;

  @BeforeAll
  static void start() throws Exception {
    stack = EmbeddedStack.start(StackSettings.fromSystemProperties());
    sink =
        PrometheusSink.start(
            PrometheusExporterIT.sinkConfig(stack, "it-grafana"), stack.schemaRegistry());
    prometheus =
        PrometheusServer.start(Files.createTempDirectory("qmon-grafana-it"), sink.scrapeTarget());
  }

  @AfterAll
  static void stop() {
    if (prometheus != null) {
      prometheus.close();
    }
    if (sink != null) {
      sink.close();
    }
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void shouldReturnDataForEveryPanelQuery() throws Exception {
    try (TopicWriter writer = new TopicWriter(stack.bootstrapServers(), stack.schemaRegistry())) {
      writer.sendRaw(Topics.METRICS, "junk", new byte[] {1, 2, 3});
      writer.send(Topics.DLQ, "x", SinkRecords.deadLetter("INVALID_COUNTS"));
      writer.send(
          Topics.METRICS,
          "done",
          SinkRecords.closed("it-graf-done", "e", null, RunCloseStatus.FAILED, 1));
      // Several scrapes with growing counters, so rate() and histogram_quantile() have data.
      for (int epoch = 1; epoch <= 8; epoch++) {
        writer.send(Topics.METRICS, "r", SinkRecords.metric("it-graf-run", epoch, 0.4 / epoch));
        writer.send(Topics.DLQ, "x", SinkRecords.deadLetter("INVALID_COUNTS"));
        writer.send(
            Topics.ALERTS,
            "it-graf-run",
            SinkRecords.alert("g" + epoch, "it-graf-run", AlertState.FIRING, Severity.WARNING));
        Thread.sleep(1000);
      }
    }
    List<String> empty = new ArrayList<>();
    int queries = 0;
    for (Path file : dashboards()) {
      JsonNode dashboard = new ObjectMapper().readTree(file.toFile());
      for (JsonNode panel : dashboard.path("panels")) {
        for (JsonNode target : panel.path("targets")) {
          String expr =
              target
                  .path("expr")
                  .asText()
                  .replace("$run_id", ".+")
                  .replace("$__rate_interval", "30s");
          queries++;
          JsonNode result =
              prometheus.awaitQuery(expr, GrafanaDashboardIT::hasValue, Duration.ofSeconds(20));
          if (!hasValue(result)) {
            empty.add(panel.path("title").asText() + ": " + expr);
          }
        }
      }
    }
    assertTrue(queries >= 20, "panel queries found: " + queries);
    assertTrue(empty.isEmpty(), "panel queries without data: " + empty);
  }

  private static boolean hasValue(JsonNode result) {
    for (JsonNode sample : result) {
      String value = sample.path("value").get(1).asText();
      if (!value.equals("NaN")) {
        return true;
      }
    }
    return false;
  }

  private static List<Path> dashboards() throws Exception {
    Path dir =
        Path.of(System.getProperty("qmon.root", "..")).resolve("grafana/dashboards").normalize();
    try (var files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    }
  }
}
