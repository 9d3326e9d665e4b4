package io.qmon.tests.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.qmon.schemas.RunCloseStatus;
import io.qmon.schemas.RunStatus;
import io.qmon.schemas.Topics;
import io.qmon.sink.TrackingSinkConfig;
import io.qmon.sink.mlflow.MlflowSink;
import io.qmon.stack.EmbeddedStack;
import io.qmon.stack.StackSettings;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The MLflow writer against a real broker and a real MLflow server, fed only the job's output
 * records on qgm.metrics and read back with MLflow's Python client: runs created from RUN_OPENED
 * (params, tags, sweeps) or lazily, loss and state curves, summaries, artifacts from the RUN_CLOSED
 * histogram and statuses; a replay adds nothing; a sink restart and an MLflow outage mid-run lose
 * and double nothing; a run MLflow rejects does not stop another.
 */
class MlflowWriterIT {
  /** Points per epoch: jsd, fidelity, entropy_bits, coverage, kl, 2 losses, 2 floors. */
  private static final int POINTS_PER_EPOCH = 9;

  private static EmbeddedStack stack;
  private static MlflowServer mlflow;
  private static TopicWriter writer;

  @BeforeAll
  static void start() throws Exception {
    stack = EmbeddedStack.start(StackSettings.fromSystemProperties());
    mlflow = MlflowServer.start(Files.createTempDirectory("qmon-mlflow-it"));
    writer = new TopicWriter(stack.bootstrapServers(), stack.schemaRegistry());
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
            "PT1S"));
  }

  @Test
  void shouldWriteRunsSweepsCurvesArtifactsAndStatusFromTheJobsRecordsAndIgnoreReplays()
      throws Exception {
    String experiment = "it-mlflow-runs";
    publishRun(experiment, "it-ml-plain", null, 5, RunCloseStatus.SUCCEEDED, true);
    publishRun(experiment, "it-ml-sweep-0", "cfg-1", 5, RunCloseStatus.FAILED, true);
    publishRun(experiment, "it-ml-sweep-1", "cfg-1", 5, RunCloseStatus.KILLED, true);
    publishRun(experiment, "it-ml-stalled", null, 3, RunCloseStatus.STALLED, true);
    publishRun(experiment, "it-ml-noopen", null, 4, RunCloseStatus.SUCCEEDED, false);

    Map<String, JsonNode> runs;
    try (MlflowSink sink = MlflowSink.start(config("it-mlflow-a"), stack.schemaRegistry())) {
      runs =
          awaitRuns(
              experiment,
              r ->
                  r.size() == 6
                      && r.values().stream()
                          .allMatch(run -> !run.path("status").asText().equals("RUNNING"))
                      && r.get("it-ml-plain").path("history").path("jsd").size() == 5,
              sink);
      // Records of one run travel on several partitions: some runs may be created before their
      // RUN_OPENED arrives, the one without a RUN_OPENED always is.
      assertTrue(sink.stats().runsCreatedWithoutOpen() >= 1, sink.stats().toString());
    }
    assertEquals(
        Set.of(
            "it-ml-plain",
            "it-ml-sweep-0",
            "it-ml-sweep-1",
            "it-ml-stalled",
            "it-ml-noopen",
            "sweep-cfg-1"),
        runs.keySet());

    JsonNode plain = runs.get("it-ml-plain");
    assertEquals("FINISHED", plain.path("status").asText());
    assertEquals("RealAmplitudes", plain.path("params").path("ansatz").asText());
    assertEquals("0.1", plain.path("params").path("optimizer.learning_rate").asText());
    assertEquals("abc123", plain.path("params").path("git_commit").asText());
    assertEquals(6000, plain.path("params").path("long_param").asText().length(), "truncated");
    assertEquals("it-ml-plain", plain.path("tags").path("qmon.run_id").asText());
    assertEquals("it", plain.path("tags").path("producer_env").asText());
    assertEquals("true", plain.path("tags").path("qmon.opened").asText());
    JsonNode jsd = plain.path("history").path("jsd");
    assertEquals(5, jsd.size(), "one point per epoch: " + jsd);
    for (JsonNode point : jsd) {
      long step = point.get(0).asLong();
      assertEquals(SinkRecords.T0 + step * 1000, point.get(1).asLong(), "event timestamp");
      assertEquals(0.5 / step, point.get(2).asDouble(), 1e-12);
    }
    JsonNode loss = plain.path("history").path("loss.generator");
    assertEquals(5, loss.size(), "the loss is a curve: " + loss);
    for (JsonNode point : loss) {
      int step = point.get(0).asInt();
      assertEquals(1.0 / (step + 1), point.get(2).asDouble(), 1e-12, "loss at epoch " + step);
    }
    JsonNode meyerWallach = plain.path("history").path("meyer_wallach");
    assertEquals(5, meyerWallach.size(), "state metrics are curves too: " + meyerWallach);
    for (JsonNode point : meyerWallach) {
      int step = point.get(0).asInt();
      assertEquals(step / 10.0, point.get(2).asDouble(), 1e-12);
    }
    assertEquals(1, plain.path("history").path("summary.best_jsd").size());
    assertEquals(5, plain.path("history").path("jsd_noise_floor").size());
    assertTrue(
        plain.path("artifacts").has("distributions.json"), plain.path("artifacts").toString());
    assertTrue(plain.path("artifacts").path("target_vs_generated.png").asLong() > 1000);
    assertTrue(plain.path("artifacts").path("metric_curves.png").asLong() > 1000);

    assertEquals("FAILED", runs.get("it-ml-sweep-0").path("status").asText());
    assertEquals("KILLED", runs.get("it-ml-sweep-1").path("status").asText());
    JsonNode stalled = runs.get("it-ml-stalled");
    assertEquals("FAILED", stalled.path("status").asText());
    assertEquals("true", stalled.path("tags").path("qmon.stalled").asText());
    assertEquals("STALLED", stalled.path("tags").path("qmon.status").asText());
    String parentId = runs.get("sweep-cfg-1").path("id").asText();
    assertEquals(
        parentId, runs.get("it-ml-sweep-0").path("tags").path("mlflow.parentRunId").asText());
    assertEquals(
        parentId, runs.get("it-ml-sweep-1").path("tags").path("mlflow.parentRunId").asText());
    assertEquals("FINISHED", runs.get("sweep-cfg-1").path("status").asText());

    JsonNode noOpen = runs.get("it-ml-noopen");
    assertEquals("false", noOpen.path("tags").path("qmon.opened").asText());
    assertEquals(0, noOpen.path("params").size(), "no params without RUN_OPENED");
    assertEquals(4, noOpen.path("history").path("jsd").size());
    assertEquals("FINISHED", noOpen.path("status").asText());

    // A sink with a fresh group replays the topic from the start: no new run, no new point.
    try (MlflowSink replay = MlflowSink.start(config("it-mlflow-b"), stack.schemaRegistry())) {
      await(() -> replay.stats().runsFinished() >= 5 && replay.outstandingRecords() == 0, replay);
      assertEquals(0, replay.stats().runsCreated());
      assertEquals(0, replay.stats().pointsWritten());
      assertTrue(
          replay.stats().duplicatesSkipped() >= 3 * 5 * POINTS_PER_EPOCH,
          replay.stats().toString());
    }
    Map<String, JsonNode> after = byName(mlflow.readExperiment(experiment));
    assertEquals(runs.keySet(), after.keySet());
    assertEquals(5, after.get("it-ml-plain").path("history").path("jsd").size());
  }

  @Test
  void shouldDoubleNoPointWhenTheSinkRestartsMidRun() throws Exception {
    String experiment = "it-mlflow-restart";
    String run = "it-ml-restart";
    int epochs = 20;
    writer.send(Topics.METRICS, run, SinkRecords.opened(run, experiment, null));
    for (int epoch = 1; epoch <= 10; epoch++) {
      publishEpoch(run, experiment, epoch);
    }
    try (MlflowSink first = MlflowSink.start(config("it-mlflow-r"), stack.schemaRegistry())) {
      await(() -> first.stats().pointsWritten() >= 10 * POINTS_PER_EPOCH, first);
    }
    for (int epoch = 11; epoch <= epochs; epoch++) {
      publishEpoch(run, experiment, epoch);
    }
    writer.send(
        Topics.METRICS,
        run,
        SinkRecords.closed(run, experiment, null, RunCloseStatus.SUCCEEDED, epochs));
    try (MlflowSink second = MlflowSink.start(config("it-mlflow-r"), stack.schemaRegistry())) {
      await(() -> second.stats().runsFinished() >= 1 && second.outstandingRecords() == 0, second);
      assertEquals(0, second.stats().runsCreated(), "the restarted sink found the run by its tag");
    }
    assertOnePointPerEpoch(experiment, epochs);
  }

  @Test
  void shouldLoseAndDoubleNothingWhenMlflowStopsMidRun() throws Exception {
    String experiment = "it-mlflow-outage";
    String run = "it-ml-outage";
    int epochs = 40;
    try (MlflowSink sink = MlflowSink.start(config("it-mlflow-c"), stack.schemaRegistry())) {
      writer.send(Topics.METRICS, run, SinkRecords.opened(run, experiment, null));
      for (int epoch = 1; epoch <= 15; epoch++) {
        publishEpoch(run, experiment, epoch);
      }
      await(() -> sink.stats().pointsWritten() >= 15 * POINTS_PER_EPOCH, sink);

      mlflow.stopProcess();
      for (int epoch = 16; epoch <= 30; epoch++) {
        publishEpoch(run, experiment, epoch);
      }
      Thread.sleep(3000);
      assertTrue(sink.outstandingRecords() > 0, "records wait while MLflow is down");
      assertTrue(sink.stats().retries() > 0, "the writer retried: " + sink.stats());

      mlflow.startProcess();
      for (int epoch = 31; epoch <= epochs; epoch++) {
        publishEpoch(run, experiment, epoch);
      }
      writer.send(
          Topics.METRICS,
          run,
          SinkRecords.closed(run, experiment, null, RunCloseStatus.SUCCEEDED, epochs));
      // The group reads the topic from the start, so other tests' runs may be counted too.
      await(() -> sink.stats().runsFinished() >= 1 && sink.outstandingRecords() == 0, sink);
    }
    assertOnePointPerEpoch(experiment, epochs);
  }

  @Test
  void shouldSkipARunMlflowRejectsAndKeepWritingTheOthers() throws Exception {
    String experiment = "it-mlflow-reject";
    // An empty experiment name: MLflow answers 400 for this run, and only for it.
    publishRun("", "it-ml-rejected", null, 3, RunCloseStatus.SUCCEEDED, true);
    publishRun(experiment, "it-ml-accepted", null, 3, RunCloseStatus.SUCCEEDED, true);
    try (MlflowSink sink = MlflowSink.start(config("it-mlflow-d"), stack.schemaRegistry())) {
      awaitRuns(
          experiment,
          r ->
              r.containsKey("it-ml-accepted")
                  && r.get("it-ml-accepted").path("status").asText().equals("FINISHED"),
          sink);
      await(() -> sink.stats().rejectedRuns() >= 1 && sink.outstandingRecords() == 0, sink);
      assertTrue(sink.alive(), "the sink keeps running");
      assertTrue(
          sink.stats().skippedRecords() >= 3 + 2,
          "open, 3 epochs and close of the rejected run: " + sink.stats());
    }
    JsonNode accepted = byName(mlflow.readExperiment(experiment)).get("it-ml-accepted");
    assertEquals(3, accepted.path("history").path("jsd").size());
  }

  @Test
  void shouldPauseWithoutCommittingWhileMlflowRefusesTheCredentialsAndResumeWhenAccepted()
      throws Exception {
    String experiment = "it-mlflow-auth";
    String run = "it-ml-auth";
    int epochs = 5;
    try (AuthProxy proxy = new AuthProxy(mlflow.url(), "Bearer rotated-token")) {
      publishRun(experiment, run, null, epochs, RunCloseStatus.SUCCEEDED, true);
      TrackingSinkConfig config =
          config("it-mlflow-e")
              .with(
                  Map.of("mlflow.tracking-uri", proxy.url(), "mlflow.tracking-token", "old-token"));
      try (MlflowSink sink = MlflowSink.start(config, stack.schemaRegistry())) {
        await(() -> sink.stats().authFailures() >= 3 && sink.paused(), sink);
        assertTrue(sink.outstandingRecords() > 0, "records wait, uncommitted: " + sink.stats());
        assertEquals(0, sink.stats().rejectedRuns(), "401 is not a final answer");
        assertEquals(0, sink.stats().skippedRecords());
        assertTrue(sink.alive());
        try (org.apache.kafka.clients.admin.Admin admin =
            org.apache.kafka.clients.admin.Admin.create(
                Map.of("bootstrap.servers", stack.bootstrapServers()))) {
          long committed =
              admin
                  .listConsumerGroupOffsets("it-mlflow-e-mlflow")
                  .partitionsToOffsetAndMetadata()
                  .get()
                  .values()
                  .stream()
                  .filter(java.util.Objects::nonNull)
                  .mapToLong(o -> o.offset())
                  .sum();
          long available =
              admin
                  .listOffsets(
                      Map.of(
                          new org.apache.kafka.common.TopicPartition(Topics.METRICS, 0),
                          org.apache.kafka.clients.admin.OffsetSpec.latest(),
                          new org.apache.kafka.common.TopicPartition(Topics.METRICS, 1),
                          org.apache.kafka.clients.admin.OffsetSpec.latest()))
                  .all()
                  .get()
                  .values()
                  .stream()
                  .mapToLong(o -> o.offset())
                  .sum();
          assertTrue(
              committed < available,
              "not everything committed while refused: " + committed + " of " + available);
        }
        // The server side starts accepting the sink's token: writing resumes by itself.
        proxy.accept("Bearer old-token");
        awaitRuns(
            experiment,
            r -> r.containsKey(run) && r.get(run).path("status").asText().equals("FINISHED"),
            sink);
        await(() -> !sink.paused(), sink);
      }
    }
    assertOnePointPerEpoch(experiment, epochs);
  }

  private static void assertOnePointPerEpoch(String experiment, int epochs) throws Exception {
    JsonNode runs = mlflow.readExperiment(experiment);
    assertEquals(1, runs.size(), "one MLflow run: " + runs);
    JsonNode history = runs.get(0).path("history");
    for (String key : new String[] {"jsd", "fidelity", "kl", "jsd_noise_floor", "loss.generator"}) {
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
      String experiment,
      String run,
      String configId,
      int epochs,
      RunCloseStatus status,
      boolean withOpen)
      throws Exception {
    if (withOpen) {
      writer.send(Topics.METRICS, run, SinkRecords.opened(run, experiment, configId));
    }
    for (int epoch = 1; epoch <= epochs; epoch++) {
      publishEpoch(run, experiment, epoch);
      writer.send(
          Topics.METRICS,
          run + "/state/" + epoch,
          SinkRecords.state(run, experiment, epoch, epoch / 10.0));
    }
    // The producer's own finish event: the sink must not need it (it reads no input topic).
    writer.send(Topics.RUNS, run, SinkRecords.finished(run, RunStatus.SUCCEEDED, epochs));
    writer.send(
        Topics.METRICS,
        run + "/closed",
        SinkRecords.closed(run, experiment, configId, status, epochs));
  }

  private static void publishEpoch(String run, String experiment, int epoch) throws Exception {
    writer.send(
        Topics.METRICS,
        run + "/epoch/" + epoch,
        SinkRecords.epoch(run, experiment, epoch, 0.5 / epoch));
  }

  /** Reads the experiment back until the condition holds. */
  private static Map<String, JsonNode> awaitRuns(
      String experiment, Predicate<Map<String, JsonNode>> done, MlflowSink sink) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (true) {
      Map<String, JsonNode> runs = byName(mlflow.readExperiment(experiment));
      if (done.test(runs)) {
        return runs;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("MLflow did not get there: " + runs.keySet() + " " + sink.stats());
      }
      Thread.sleep(1000);
    }
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
      Thread.sleep(500);
    }
  }
}
