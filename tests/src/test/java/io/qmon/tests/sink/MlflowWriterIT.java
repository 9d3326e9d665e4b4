package io.qmon.tests.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.qmon.launcher.embedded.EmbeddedStack;
import io.qmon.launcher.embedded.StackSettings;
import io.qmon.schemas.RunStatus;
import io.qmon.schemas.Topics;
import io.qmon.sink.TrackingSinkConfig;
import io.qmon.sink.mlflow.MlflowSink;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The MLflow writer against a real broker and a real MLflow server, read back with MLflow's Python
 * client: runs, sweeps, params, metric histories, artifacts and statuses; a replay from the start
 * of the topics adds nothing; stopping MLflow mid-run loses and doubles nothing.
 */
class MlflowWriterIT {
  private static EmbeddedStack stack;
  private static MlflowServer mlflow;
  private static TopicWriter writer;

  @BeforeAll
  static void start() throws Exception {
    stack = EmbeddedStack.start(StackSettings.fromSystemProperties());
    mlflow = MlflowServer.start(Files.createTempDirectory("qmon-mlflow-it"));
    writer = new TopicWriter(stack.bootstrapServers(), stack.schemaRegistry());
    writer.send(Topics.TARGETS, "target-q2", SinkRecords.target());
  }

  @AfterAll
  static void stop() throws Exception {
    if (writer != null) {
      writer.close();
    }
    if (mlflow != null) {
      mlflow.close();
    }
    if (stack != null) {
      stack.close();
    }
  }

  private static TrackingSinkConfig config(String group) {
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
            "mlflow.retry-max",
            "PT1S",
            "mlflow.finish-grace",
            "PT20S"));
  }

  @Test
  void shouldWriteRunsSweepsMetricsArtifactsAndStatusAndIgnoreReplays() throws Exception {
    String experiment = "it-mlflow-runs";
    publishRun(experiment, "it-ml-plain", null, 5, RunStatus.SUCCEEDED);
    publishRun(experiment, "it-ml-sweep-0", "cfg-1", 5, RunStatus.FAILED);
    publishRun(experiment, "it-ml-sweep-1", "cfg-1", 5, RunStatus.KILLED);

    try (MlflowSink sink = MlflowSink.start(config("it-mlflow-a"), stack.schemaRegistry())) {
      await(() -> sink.stats().runsFinished() == 3 && sink.outstandingRecords() == 0, sink);
    }
    Map<String, JsonNode> runs = byName(mlflow.readExperiment(experiment));
    assertEquals(
        Set.of("it-ml-plain", "it-ml-sweep-0", "it-ml-sweep-1", "sweep-cfg-1"), runs.keySet());

    JsonNode plain = runs.get("it-ml-plain");
    assertEquals("FINISHED", plain.path("status").asText());
    assertEquals("RealAmplitudes", plain.path("params").path("ansatz").asText());
    assertEquals("spsa", plain.path("params").path("optimizer").asText());
    assertEquals("0.1", plain.path("params").path("optimizer.learning_rate").asText());
    assertEquals("abc123", plain.path("params").path("git_commit").asText());
    assertEquals(6000, plain.path("params").path("long_param").asText().length(), "truncated");
    assertEquals("it-ml-plain", plain.path("tags").path("qmon.run_id").asText());
    assertEquals("it", plain.path("tags").path("producer_env").asText());
    JsonNode jsd = plain.path("history").path("jsd");
    assertEquals(5, jsd.size(), "one point per epoch: " + jsd);
    for (JsonNode point : jsd) {
      long step = point.get(0).asLong();
      assertEquals(SinkRecords.T0 + step * 1000, point.get(1).asLong(), "event timestamp");
      assertEquals(0.5 / step, point.get(2).asDouble(), 1e-12);
    }
    assertEquals(5, plain.path("history").path("jsd_noise_floor").size());
    assertTrue(
        plain.path("artifacts").has("distributions.json"), plain.path("artifacts").toString());
    assertTrue(plain.path("artifacts").path("target_vs_generated.png").asLong() > 1000);
    assertTrue(plain.path("artifacts").path("metric_curves.png").asLong() > 1000);

    assertEquals("FAILED", runs.get("it-ml-sweep-0").path("status").asText());
    assertEquals("KILLED", runs.get("it-ml-sweep-1").path("status").asText());
    String parentId = runs.get("sweep-cfg-1").path("id").asText();
    assertEquals(
        parentId, runs.get("it-ml-sweep-0").path("tags").path("mlflow.parentRunId").asText());
    assertEquals(
        parentId, runs.get("it-ml-sweep-1").path("tags").path("mlflow.parentRunId").asText());
    assertEquals("FINISHED", runs.get("sweep-cfg-1").path("status").asText());

    // A sink with a fresh group replays every topic from the start: no new run, no new point.
    try (MlflowSink replay = MlflowSink.start(config("it-mlflow-b"), stack.schemaRegistry())) {
      await(() -> replay.stats().runsFinished() == 3 && replay.outstandingRecords() == 0, replay);
      assertEquals(0, replay.stats().runsCreated());
      assertEquals(0, replay.stats().pointsWritten());
      assertTrue(replay.stats().duplicatesSkipped() >= 3 * 5 * 7, replay.stats().toString());
    }
    Map<String, JsonNode> after = byName(mlflow.readExperiment(experiment));
    assertEquals(runs.keySet(), after.keySet());
    assertEquals(5, after.get("it-ml-plain").path("history").path("jsd").size());
  }

  @Test
  void shouldLoseAndDoubleNothingWhenMlflowStopsMidRun() throws Exception {
    String experiment = "it-mlflow-outage";
    String run = "it-ml-outage";
    int epochs = 40;
    try (MlflowSink sink = MlflowSink.start(config("it-mlflow-c"), stack.schemaRegistry())) {
      writer.send(Topics.RUNS, run, SinkRecords.started(run, experiment, null));
      for (int epoch = 1; epoch <= 15; epoch++) {
        publishEpoch(run, epoch);
      }
      await(() -> sink.stats().pointsWritten() >= 15 * 7, sink);

      mlflow.stopProcess();
      for (int epoch = 16; epoch <= 30; epoch++) {
        publishEpoch(run, epoch);
      }
      Thread.sleep(3000);
      assertTrue(sink.outstandingRecords() > 0, "records wait while MLflow is down");
      long retries = sink.stats().retries();
      assertTrue(retries > 0, "the writer retried: " + sink.stats());

      mlflow.startProcess();
      for (int epoch = 31; epoch <= epochs; epoch++) {
        publishEpoch(run, epoch);
      }
      writer.send(Topics.RUNS, run, SinkRecords.finished(run, RunStatus.SUCCEEDED, epochs));
      // The group reads every topic from the start, so other tests' runs may be counted too.
      await(() -> sink.stats().runsFinished() >= 1 && sink.outstandingRecords() == 0, sink);
    }
    JsonNode runs = mlflow.readExperiment(experiment);
    assertEquals(1, runs.size(), "one MLflow run: " + runs);
    JsonNode history = runs.get(0).path("history");
    for (String key : new String[] {"jsd", "fidelity", "kl", "jsd_noise_floor"}) {
      Set<Long> steps = new HashSet<>();
      for (JsonNode point : history.path(key)) {
        steps.add(point.get(0).asLong());
      }
      assertEquals(epochs, history.path(key).size(), key + " has one point per epoch");
      assertEquals(epochs, steps.size(), key + " has every epoch");
    }
    assertEquals("FINISHED", runs.get(0).path("status").asText());
  }

  private static void publishRun(
      String experiment, String run, String configId, int epochs, RunStatus status)
      throws Exception {
    writer.send(Topics.RUNS, run, SinkRecords.started(run, experiment, configId));
    for (int epoch = 1; epoch <= epochs; epoch++) {
      publishEpoch(run, epoch);
    }
    writer.send(Topics.RUNS, run, SinkRecords.finished(run, status, epochs));
  }

  private static void publishEpoch(String run, int epoch) throws Exception {
    writer.send(Topics.SHOTS, run, SinkRecords.shots(run, epoch, new long[] {400, 300, 200, 100}));
    writer.send(
        Topics.METRICS, run + "/epoch/" + epoch, SinkRecords.metric(run, epoch, 0.5 / epoch));
  }

  private static Map<String, JsonNode> byName(JsonNode runs) {
    Map<String, JsonNode> byName = new HashMap<>();
    for (JsonNode run : runs) {
      assertNotNull(
          byName.put(run.path("name").asText(), run) == null ? run : null, "unique names");
    }
    return byName;
  }

  private static void await(BooleanSupplier done, MlflowSink sink) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("MLflow sink did not get there: " + sink.stats());
      }
      Thread.sleep(200);
    }
  }
}
