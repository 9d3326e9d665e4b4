package io.qmon.tests.sink;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qmon.schemas.Alert;
import io.qmon.schemas.AlertState;
import io.qmon.schemas.MetricRecord;
import io.qmon.schemas.RunCloseStatus;
import io.qmon.schemas.Severity;
import io.qmon.schemas.SweepSummary;
import io.qmon.schemas.Topics;
import io.qmon.sink.TrackingSinkConfig;
import io.qmon.sink.alerts.AlertNotifier;
import io.qmon.sink.alerts.NotifierMetrics;
import io.qmon.sink.mlflow.MlflowSink;
import io.qmon.sink.mlflow.MlflowSinkMetrics;
import io.qmon.sink.prometheus.PrometheusSink;
import io.qmon.stack.EmbeddedStack;
import io.qmon.stack.Ports;
import io.qmon.stack.StackSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No Grafana server runs here, so the dashboard is checked the way Grafana would use it: every
 * panel query of grafana/dashboards/*.json, with the template variables substituted, runs against a
 * real Prometheus scraping the exporter and must return at least one sample with a value; so must
 * the alert annotation queries. The notifier's and the MLflow writer's health series are served on
 * the exporter's endpoint as in {@code TrackingSinkMain}.
 */
class GrafanaDashboardIT {
  private static EmbeddedStack stack;
  private static final String RUN = "it-graf-run";
  private static final String EXPERIMENT = "it-graf-exp";
  private static PrometheusSink sink;
  private static AlertNotifier notifier;
  private static MlflowSink mlflow;
  private static PrometheusServer prometheus;

  @BeforeAll
  static void start() throws Exception {
    stack = EmbeddedStack.start(StackSettings.fromSystemProperties());
    TrackingSinkConfig config = PrometheusExporterIT.sinkConfig(stack, "it-grafana");
    sink = PrometheusSink.start(config, stack.schemaRegistry());
    // The notifier (log route only) and the MLflow writer serve their health series on the
    // exporter's endpoint, as in TrackingSinkMain. No MLflow server listens on the port the
    // writer is given: its pipeline-health series are what a user sees while MLflow is down.
    java.nio.file.Path dir = Files.createTempDirectory("qmon-grafana-it");
    notifier =
        AlertNotifier.start(
            config.with(Map.of("alerts.state-dir", dir.resolve("streams").toString())),
            stack.schemaRegistry());
    NotifierMetrics.register(notifier, sink.exporter().registry());
    mlflow =
        MlflowSink.start(
            config.with(
                Map.of(
                    "mlflow.tracking-uri",
                    "http://127.0.0.1:" + Ports.freeLoopbackPort(),
                    "mlflow.retry-max",
                    "PT1S")),
            stack.schemaRegistry());
    MlflowSinkMetrics.register(mlflow, sink.exporter().registry());
    prometheus = PrometheusServer.start(dir, sink.scrapeTarget());
  }

  @AfterAll
  static void stop() {
    if (prometheus != null) {
      prometheus.close();
    }
    if (mlflow != null) {
      mlflow.close();
    }
    if (notifier != null) {
      notifier.close();
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
      writer.send(Topics.METRICS, RUN, SinkRecords.opened(RUN, EXPERIMENT, "it-graf-cfg"));
      for (String config : List.of("cfg-a", "cfg-b")) {
        writer.send(Topics.SWEEPS, EXPERIMENT + "/" + config, sweep(config));
      }
      // Several scrapes with growing counters, so rate() and histogram_quantile() have data.
      for (int epoch = 1; epoch <= 8; epoch++) {
        writer.send(Topics.METRICS, RUN, SinkRecords.epoch(RUN, EXPERIMENT, epoch, 0.4 / epoch));
        writer.send(
            Topics.METRICS,
            RUN,
            MetricRecord.newBuilder(SinkRecords.state(RUN, EXPERIMENT, epoch, 0.5))
                .setMetrics(
                    Map.of(
                        "entanglement_entropy_half", 1.0,
                        "entanglement_entropy_single_mean", 0.5,
                        "meyer_wallach", 0.5,
                        "state_fidelity", 0.1 * epoch))
                .build());
        writer.send(Topics.DLQ, "x", SinkRecords.deadLetter("INVALID_COUNTS"));
        writer.send(
            Topics.ALERTS,
            RUN,
            Alert.newBuilder(
                    SinkRecords.alert("g" + epoch, RUN, AlertState.FIRING, Severity.WARNING))
                .setExperiment(EXPERIMENT)
                .build());
        Thread.sleep(1000);
      }
    }
    JsonNode byExperiment =
        prometheus.awaitQuery(
            "count by (experiment) (qmon_run_epoch{experiment=\"" + EXPERIMENT + "\"})",
            GrafanaDashboardIT::hasValue,
            Duration.ofSeconds(20));
    assertTrue(hasValue(byExperiment), "the experiment variable finds the run's experiment");
    List<String> empty = new ArrayList<>();
    int queries = 0;
    for (Path file : dashboards()) {
      JsonNode dashboard = new ObjectMapper().readTree(file.toFile());
      List<JsonNode> withQueries = new ArrayList<>();
      dashboard.path("panels").forEach(withQueries::add);
      // Alert annotations are Prometheus queries too.
      for (JsonNode annotation : dashboard.path("annotations").path("list")) {
        withQueries.add(
            new ObjectMapper()
                .createObjectNode()
                .put("title", "annotation " + annotation.path("name").asText())
                .set("targets", new ObjectMapper().createArrayNode().add(annotation)));
      }
      for (JsonNode panel : withQueries) {
        for (JsonNode target : panel.path("targets")) {
          // The variables' "All" values, as the dashboard declares them.
          String expr =
              target
                  .path("expr")
                  .asText()
                  .replace("$run_id", ".+")
                  .replace("$experiment", ".*")
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
    assertTrue(queries >= 40, "panel queries found: " + queries);
    assertTrue(empty.isEmpty(), "panel queries without data: " + empty);
  }

  private static SweepSummary sweep(String config) {
    return SweepSummary.newBuilder()
        .setExperiment(EXPERIMENT)
        .setConfigId(config)
        .setRuns(3)
        .setStatistics(
            Map.of(
                "final_jsd_mean", 0.05,
                "final_jsd_std", 0.01,
                "final_jsd_ci_low", 0.04,
                "final_jsd_ci_high", 0.06))
        .setRank(config.equals("cfg-a") ? 1 : 2)
        .setConfigurations(2)
        .setUpdatedTime(java.time.Instant.now())
        .build();
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
