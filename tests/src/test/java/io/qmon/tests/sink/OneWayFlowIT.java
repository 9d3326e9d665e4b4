package io.qmon.tests.sink;

import static io.qmon.tests.sink.PrometheusServer.singleValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qmon.metrics.MetricNames;
import io.qmon.schemas.MetricRecord;
import io.qmon.schemas.MetricScope;
import io.qmon.schemas.RunCloseStatus;
import io.qmon.schemas.Topics;
import io.qmon.sink.TrackingSinkConfig;
import io.qmon.sink.mlflow.MlflowSink;
import io.qmon.sink.prometheus.ExporterMetricNames;
import io.qmon.sink.prometheus.PrometheusSink;
import io.qmon.sink.prometheus.RunSeries;
import io.qmon.stack.EmbeddedStack;
import io.qmon.stack.StackSettings;
import io.qmon.tests.producers.KeyedTopicReader;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The one-way flow end to end: a run published through the Python SDK with losses and state
 * snapshots goes through the job only, and the sinks, which read nothing but the job's outputs,
 * show it: STATE records agree with Qiskit's {@code partial_trace}/{@code entropy}, the loss and
 * entanglement curves read back with MLflow's own Python client, and the loss and entanglement
 * gauges scraped by a real Prometheus while the run is open.
 */
@ExtendWith(SharedMlflow.class)
class OneWayFlowIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int EPOCHS = 5;
  private static final String EXPERIMENT = "it-one-way-" + UUID.randomUUID();

  private static EmbeddedStack stack;
  private static MlflowServer mlflow;
  private static MlflowSink mlflowSink;
  private static PrometheusSink exporter;
  private static PrometheusServer prometheus;
  private static Path work;

  @BeforeAll
  static void start(MlflowServer sharedMlflow) throws Exception {
    mlflow = sharedMlflow;
    work = Files.createTempDirectory("qmon-one-way-it");
    stack = EmbeddedStack.start(StackSettings.fromSystemProperties());
    stack.startMonitoringJob(stack.jobConfig(Map.of("kafka.group-id", "it-one-way")));
    mlflowSink = MlflowSink.start(sinkConfig("it-one-way-mlflow"), stack.schemaRegistry());
    exporter = PrometheusSink.start(sinkConfig("it-one-way-prom"), stack.schemaRegistry());
    prometheus =
        PrometheusServer.start(
            Files.createDirectories(work.resolve("prom")), exporter.scrapeTarget());
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {prometheus, exporter, mlflowSink, stack}) {
      if (c != null) {
        c.close();
      }
    }
  }

  private static TrackingSinkConfig sinkConfig(String group) {
    return TrackingSinkConfig.of(
        Map.of(
            "kafka.bootstrap-servers",
            stack.bootstrapServers(),
            "schema-registry.url",
            stack.schemaRegistryUrl(),
            "kafka.group-id-prefix",
            group,
            "mlflow.tracking-uri",
            mlflow.url(),
            "prometheus.port",
            "0",
            "prometheus.offset-reset",
            "earliest"));
  }

  @Test
  void shouldCarryLossesAndStateSnapshotsFromThePythonSdkToMlflowAndPrometheus() throws Exception {
    String runId = "it-one-way-" + UUID.randomUUID();
    Path release = work.resolve("release-" + runId);
    Process run = startPythonRun(runId, release);
    try {
      JsonNode published = readPublished(run);
      JsonNode losses = published.path("losses");
      JsonNode states = published.path("states");

      Map<String, MetricRecord> records =
          awaitRecords(
              runId,
              r -> count(r, MetricScope.STATE) >= EPOCHS && count(r, MetricScope.EPOCH) >= EPOCHS);
      for (int epoch = 1; epoch <= EPOCHS; epoch++) {
        MetricRecord state = records.get(runId + "/state/" + epoch);
        assertNotNull(state, "STATE record of epoch " + epoch + ": " + records.keySet());
        assertEquals(MetricScope.STATE, state.getScope());
        JsonNode expected = states.path(Integer.toString(epoch));
        for (String name :
            List.of(
                MetricNames.ENTANGLEMENT_HALF,
                MetricNames.ENTANGLEMENT_SINGLE_MEAN,
                MetricNames.MEYER_WALLACH)) {
          assertEquals(
              expected.path(name).asDouble(),
              state.getMetrics().get(name),
              1e-9,
              name + " of epoch " + epoch + " against Qiskit");
        }
        MetricRecord scored = records.get(runId + "/epoch/" + epoch);
        assertNotNull(scored, "EPOCH record of epoch " + epoch);
        JsonNode epochLosses = losses.path(Integer.toString(epoch));
        for (String loss : List.of("generator", "discriminator")) {
          assertEquals(
              epochLosses.path(loss).asDouble(),
              scored.getMetrics().get(MetricNames.LOSS_PREFIX + loss),
              0.0,
              "loss." + loss + " of epoch " + epoch);
        }
      }
      MetricRecord opened = records.get(runId + "/opened");
      assertNotNull(opened, "RUN_OPENED record");
      assertEquals(EXPERIMENT, opened.getExperiment());

      // While the run is open its series are exported; Prometheus scrapes them for real.
      double lastGenerator = losses.path(Integer.toString(EPOCHS)).path("generator").asDouble();
      String lossQuery =
          ExporterMetricNames.RUN_LOSS
              + "{run_id=\""
              + runId
              + "\","
              + ExporterMetricNames.LOSS
              + "=\"generator\"}";
      String halfCut =
          RunSeries.forMetric(MetricNames.ENTANGLEMENT_HALF).orElseThrow().valueName()
              + "{run_id=\""
              + runId
              + "\"}";
      double lastHalf =
          states.path(Integer.toString(EPOCHS)).path(MetricNames.ENTANGLEMENT_HALF).asDouble();
      await(
          () -> scraped(lossQuery, lastGenerator) && scraped(halfCut, lastHalf),
          Duration.ofSeconds(120),
          "Prometheus never scraped " + lossQuery + " = " + lastGenerator + " and " + halfCut);

      Files.createFile(release);
      assertTrue(run.waitFor(120, TimeUnit.SECONDS), "the Python run did not finish");
      assertEquals(0, run.exitValue(), "the Python run failed");

      MetricRecord closed =
          awaitRecords(runId, r -> r.containsKey(runId + "/closed")).get(runId + "/closed");
      assertEquals(RunCloseStatus.SUCCEEDED, closed.getStatus());
      assertNotNull(closed.getHistogram(), "the last epoch's histogram travels with RUN_CLOSED");

      JsonNode mlflowRun = awaitFinishedMlflowRun(runId);
      JsonNode history = mlflowRun.path("history");
      for (String loss : List.of("generator", "discriminator")) {
        JsonNode curve = history.path(MetricNames.LOSS_PREFIX + loss);
        assertEquals(EPOCHS, curve.size(), "MLflow curve loss." + loss + ": " + history);
        for (JsonNode point : curve) {
          int step = point.get(0).asInt();
          assertEquals(
              losses.path(Integer.toString(step)).path(loss).asDouble(),
              point.get(2).asDouble(),
              0.0,
              "loss." + loss + " at step " + step);
        }
      }
      JsonNode entanglement = history.path(MetricNames.ENTANGLEMENT_HALF);
      assertEquals(EPOCHS, entanglement.size(), "MLflow curve of the half-cut entropy");
      for (JsonNode point : entanglement) {
        assertEquals(
            states
                .path(Integer.toString(point.get(0).asInt()))
                .path(MetricNames.ENTANGLEMENT_HALF)
                .asDouble(),
            point.get(2).asDouble(),
            1e-9);
      }
      assertEquals("FINISHED", mlflowRun.path("status").asText());
      assertFalse(mlflowRun.path("params").isEmpty(), "params from RUN_OPENED");
    } finally {
      run.destroyForcibly();
    }
  }

  private boolean scraped(String query, double expected) {
    try {
      JsonNode result = prometheus.query(query);
      return result.size() == 1 && Math.abs(singleValue(result) - expected) < 1e-12;
    } catch (Exception e) {
      throw new IllegalStateException("Prometheus query failed: " + query, e);
    }
  }

  private static Process startPythonRun(String runId, Path release) throws Exception {
    Path python = MlflowServer.venvPython();
    Path root = python.getParent().getParent().getParent();
    ProcessBuilder builder =
        new ProcessBuilder(
                python.toString(),
                root.resolve("tests/src/test/python/one_way_flow_run.py").toString(),
                stack.bootstrapServers(),
                stack.schemaRegistryUrl(),
                runId,
                EXPERIMENT,
                release.toString())
            .redirectError(ProcessBuilder.Redirect.appendTo(work.resolve("python.log").toFile()));
    builder.environment().put("PYTHONPATH", root.resolve("producers/python").toString());
    return builder.start();
  }

  /** The first line the script prints: what it published and Qiskit's reference values. */
  private static JsonNode readPublished(Process run) throws Exception {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(run.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    if (line == null) {
      run.waitFor(10, TimeUnit.SECONDS);
      throw new IllegalStateException(
          "the Python run printed nothing: " + Files.readString(work.resolve("python.log")));
    }
    return JSON.readTree(line);
  }

  private static long count(Map<String, MetricRecord> records, MetricScope scope) {
    return records.values().stream().filter(r -> r.getScope() == scope).count();
  }

  private static Map<String, MetricRecord> awaitRecords(
      String runId, java.util.function.Predicate<Map<String, MetricRecord>> done) {
    Map<String, MetricRecord> latest = new HashMap<>();
    KeyedTopicReader.<MetricRecord>readByKey(
        stack.bootstrapServers(),
        stack.schemaRegistry(),
        Topics.METRICS,
        MetricRecord.SCHEMA$,
        byKey -> {
          latest.clear();
          byKey.forEach(
              (key, list) -> {
                if (key.startsWith(runId + "/")) {
                  latest.put(key, list.get(list.size() - 1));
                }
              });
          return done.test(latest);
        },
        Duration.ofSeconds(180),
        Duration.ZERO);
    assertTrue(done.test(latest), "records of " + runId + " so far: " + latest.keySet());
    return latest;
  }

  private static JsonNode awaitFinishedMlflowRun(String runId) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
    List<String> seen = new ArrayList<>();
    while (System.nanoTime() < deadline) {
      for (JsonNode run : mlflow.readExperiment(EXPERIMENT)) {
        seen.add(run.path("name").asText() + ":" + run.path("status").asText());
        if (runId.equals(run.path("name").asText())
            && !"RUNNING".equals(run.path("status").asText())
            && run.path("history").path(MetricNames.LOSS_PREFIX + "generator").size() == EPOCHS) {
          return run;
        }
      }
      Thread.sleep(1000);
    }
    throw new AssertionError("MLflow run " + runId + " never finished with its curves: " + seen);
  }

  private static void await(BooleanSupplier condition, Duration timeout, String message)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(message);
      }
      Thread.sleep(1000);
    }
  }
}
