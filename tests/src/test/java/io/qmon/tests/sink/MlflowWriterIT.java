package io.qmon.tests.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.qmon.schemas.Histogram;
import io.qmon.schemas.MetricRecord;
import io.qmon.schemas.RunCloseStatus;
import io.qmon.schemas.RunStatus;
import io.qmon.schemas.SweepSummary;
import io.qmon.schemas.Topics;
import io.qmon.sink.TrackingSinkConfig;
import io.qmon.sink.mlflow.MlflowSink;
import io.qmon.stack.EmbeddedStack;
import io.qmon.stack.StackSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The MLflow writer against a real broker and a real MLflow server, fed only the job's output
 * records on qgm.metrics and read back with MLflow's Python client: runs created from RUN_OPENED
 * (params, tags, sweeps) or lazily, loss and state curves, summaries, artifacts from the RUN_CLOSED
 * histogram and statuses; live distribution snapshots while a run is open, the producer's
 * reproducibility tags (MLflow's own names included) and sweep statistics on the parent runs, read
 * back by tests/src/test/python/mlflow_run_check.py; a replay adds nothing; a sink restart and an
 * MLflow outage mid-run lose and double nothing; a run MLflow rejects does not stop another.
 */
@ExtendWith(SharedMlflow.class)
class MlflowWriterIT {
  /** Points per epoch: jsd, fidelity, entropy_bits, coverage, kl, 2 losses, 2 floors. */
  private static final int POINTS_PER_EPOCH = 9;

  private static EmbeddedStack stack;
  private static MlflowServer mlflow;
  private static TopicWriter writer;

  @BeforeAll
  static void start(MlflowServer sharedMlflow) throws Exception {
    mlflow = sharedMlflow;
    stack = EmbeddedStack.start(StackSettings.fromSystemProperties());
    writer = new TopicWriter(stack.bootstrapServers(), stack.schemaRegistry());
  }

  @AfterAll
  static void stop() throws Exception {
    if (writer != null) {
      writer.close();
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
    startAfterEarlierTests("it-mlflow-a");
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
      // Records of one run travel on several partitions, so a run's RUN_CLOSED can be written
      // before its last epoch: read back only once everything on the topic is in MLflow.
      assertTrue(sink.awaitCaughtUp(Duration.ofSeconds(90)), sink.stats().toString());
      runs = byName(mlflow.readExperiment(experiment));
      // Some runs may be created before their RUN_OPENED arrives, the one without one always is.
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
      await(() -> replay.stats().runsFinished() >= 5, replay);
      assertTrue(replay.awaitCaughtUp(Duration.ofSeconds(90)), replay.stats().toString());
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
    startAfterEarlierTests("it-mlflow-r");
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
      await(() -> second.stats().runsFinished() >= 1, second);
      assertTrue(second.awaitCaughtUp(Duration.ofSeconds(90)), second.stats().toString());
      assertEquals(0, second.stats().runsCreated(), "the restarted sink found the run by its tag");
      assertEquals(1, second.stats().runsFinished(), second.stats().toString());
    }
    assertOnePointPerEpoch(experiment, epochs);
  }

  @Test
  void shouldLoseAndDoubleNothingWhenMlflowStopsMidRun() throws Exception {
    String experiment = "it-mlflow-outage";
    String run = "it-ml-outage";
    int epochs = 40;
    startAfterEarlierTests("it-mlflow-c");
    try (MlflowSink sink = MlflowSink.start(config("it-mlflow-c"), stack.schemaRegistry())) {
      writer.send(Topics.METRICS, run, SinkRecords.opened(run, experiment, null));
      for (int epoch = 1; epoch <= 15; epoch++) {
        publishEpoch(run, experiment, epoch);
      }
      await(() -> sink.stats().pointsWritten() >= 15 * POINTS_PER_EPOCH, sink);

      mlflow.stopProcess();
      try {
        for (int epoch = 16; epoch <= 30; epoch++) {
          publishEpoch(run, experiment, epoch);
        }
        Thread.sleep(3000);
        assertTrue(sink.outstandingRecords() > 0, "records wait while MLflow is down");
        assertTrue(sink.stats().retries() > 0, "the writer retried: " + sink.stats());
      } finally {
        // The server is shared with the other MLflow ITs: it serves again whatever this asserted.
        mlflow.startProcess();
      }
      for (int epoch = 31; epoch <= epochs; epoch++) {
        publishEpoch(run, experiment, epoch);
      }
      writer.send(
          Topics.METRICS,
          run,
          SinkRecords.closed(run, experiment, null, RunCloseStatus.SUCCEEDED, epochs));
      await(() -> sink.stats().runsFinished() >= 1, sink);
      assertTrue(sink.awaitCaughtUp(Duration.ofSeconds(90)), sink.stats().toString());
      assertEquals(1, sink.stats().runsFinished(), sink.stats().toString());
    }
    assertOnePointPerEpoch(experiment, epochs);
  }

  @Test
  void shouldSkipARunMlflowRejectsAndKeepWritingTheOthers() throws Exception {
    String experiment = "it-mlflow-reject";
    startAfterEarlierTests("it-mlflow-d");
    // An empty experiment name: MLflow answers 400 for this run, and only for it.
    publishRun("", "it-ml-rejected", null, 3, RunCloseStatus.SUCCEEDED, true);
    publishRun(experiment, "it-ml-accepted", null, 3, RunCloseStatus.SUCCEEDED, true);
    // The rejected run's epochs are skipped, so its RUN_CLOSED always waits out the close-wait for
    // its last epoch; every record is on the topic before the sink starts, so 2 s are plenty.
    TrackingSinkConfig config = config("it-mlflow-d").with(Map.of("mlflow.close-wait", "PT2S"));
    try (MlflowSink sink = MlflowSink.start(config, stack.schemaRegistry())) {
      awaitRuns(
          experiment,
          r ->
              r.containsKey("it-ml-accepted")
                  && r.get("it-ml-accepted").path("status").asText().equals("FINISHED"),
          sink);
      await(() -> sink.stats().rejectedRuns() >= 1, sink);
      assertTrue(sink.awaitCaughtUp(Duration.ofSeconds(90)), sink.stats().toString());
      assertTrue(sink.alive(), "the sink keeps running");
      assertEquals(1, sink.stats().rejectedRuns(), sink.stats().toString());
      assertEquals(1, sink.stats().runsFinished(), "only the accepted run: " + sink.stats());
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
    startAfterEarlierTests("it-mlflow-e");
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
        try (Admin admin =
            Admin.create(Map.<String, Object>of("bootstrap.servers", stack.bootstrapServers()))) {
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
              metricsEndOffsets(admin).values().stream().mapToLong(OffsetAndMetadata::offset).sum();
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

  @Test
  void shouldUploadLiveSnapshotsWhileTheRunIsOpenAndWriteSweepStatisticsToItsParents()
      throws Exception {
    String experiment = "it-mlflow-live";
    String run = "it-ml-live-0";
    String config = "cfg-live-a";
    MetricRecord opened = SinkRecords.opened(run, experiment, config);
    // Reproducibility tags as the SDKs send them: MLflow's own names are kept as they are.
    opened.setTags(
        Map.of(
            "mlflow.source.git.commit", "0123abcd",
            "mlflow.user", "it-user",
            "qmon.git_dirty", "false",
            "producer_env", "it"));
    startAfterEarlierTests("it-mlflow-f");
    try (MlflowSink sink = MlflowSink.start(config("it-mlflow-f"), stack.schemaRegistry())) {
      writer.send(Topics.METRICS, run, opened);
      for (int epoch = 1; epoch <= 12; epoch++) {
        MetricRecord record = SinkRecords.epoch(run, experiment, epoch, 0.5 / epoch);
        // The job copies the run start's configuration onto every record of the run.
        record.setConfigId(config);
        if (epoch == 10) {
          record.setHistogram(wideHistogram(epoch));
          record.setQubits(6);
        }
        writer.send(Topics.METRICS, run + "/epoch/" + epoch, record);
      }
      JsonNode live =
          awaitReadBack(
              experiment,
              run,
              r -> r.path("run").path("artifacts").has("distribution/epoch-00010.png"));
      assertEquals("RUNNING", live.path("run").path("status").asText(), "a snapshot mid-run");
      assertTrue(
          live.path("run").path("artifacts").path("distribution/epoch-00010.png").asLong() > 1000);
      assertTrue(live.path("run").path("artifacts").has("distribution/epoch-00010.csv"));
      assertEquals(
          "0123abcd", live.path("run").path("tags").path("mlflow.source.git.commit").asText());
      assertEquals("it-user", live.path("run").path("tags").path("mlflow.user").asText());
      assertEquals("false", live.path("run").path("tags").path("qmon.git_dirty").asText());

      writer.send(
          Topics.METRICS,
          run + "/closed",
          SinkRecords.closed(run, experiment, config, RunCloseStatus.SUCCEEDED, 12));
      writer.send(
          Topics.SWEEPS,
          experiment + "/" + config,
          sweepSummary(experiment, config, 2, 0.20, 0.40));
      writer.send(
          Topics.SWEEPS,
          experiment + "/cfg-live-b",
          sweepSummary(experiment, "cfg-live-b", 1, 0.10, 0.25));
      JsonNode done =
          awaitReadBack(
              experiment,
              run,
              r ->
                  r.path("run").path("status").asText().equals("FINISHED")
                      && r.path("parent").path("metrics").has("sweep.final_ks_mean")
                      && r.path("sweep").path("table").size() == 2);
      JsonNode finished = done.path("run");
      assertTrue(finished.path("artifacts").has("distribution/epoch-00012.png"), "at close");
      assertTrue(finished.path("artifacts").has("target_vs_generated.png"));
      assertTrue(finished.path("artifacts").path("metric_curves.png").asLong() > 1000);

      JsonNode parent = done.path("parent");
      assertEquals("sweep-" + config, parent.path("name").asText());
      assertEquals(0.20, parent.path("metrics").path("sweep.final_ks_mean").asDouble(), 1e-12);
      assertEquals(0.02, parent.path("metrics").path("sweep.final_ks_std").asDouble(), 1e-12);
      assertEquals(0.15, parent.path("metrics").path("sweep.final_ks_ci_low").asDouble(), 1e-12);
      assertEquals(0.25, parent.path("metrics").path("sweep.final_ks_ci_high").asDouble(), 1e-12);
      assertEquals(0.40, parent.path("metrics").path("sweep.final_kl_mean").asDouble(), 1e-12);
      assertEquals(2.0, parent.path("metrics").path("sweep.rank").asDouble());
      assertEquals(3.0, parent.path("metrics").path("sweep.runs").asDouble());
      assertEquals("2", parent.path("tags").path("qmon.sweep.rank").asText());

      JsonNode sweep = done.path("sweep");
      assertEquals("sweep-" + experiment, sweep.path("name").asText());
      assertEquals(
          sweep.path("id").asText(), parent.path("tags").path("mlflow.parentRunId").asText());
      assertEquals("cfg-live-b", sweep.path("table").get(0).path("config_id").asText());
      assertEquals("1", sweep.path("table").get(0).path("rank").asText());
      assertEquals(0.10, sweep.path("table").get(0).path("final_ks_mean").asDouble(), 1e-12);
      assertEquals(config, sweep.path("table").get(1).path("config_id").asText());
      assertEquals(0.04, sweep.path("table").get(1).path("final_kl_std").asDouble(), 1e-12);
      assertTrue(sweep.path("artifacts").has("sweep/table.md"));
      assertTrue(sweep.path("artifacts").path("sweep/configurations.png").asLong() > 1000);
      assertEquals("cfg-live-b", sweep.path("tags").path("qmon.sweep.best_config").asText());
      assertTrue(sink.stats().snapshotsUploaded() >= 1, sink.stats().toString());
    }
  }

  /**
   * Commits the metrics group of the sink with this prefix to the current end of qgm.metrics, so
   * that sink reads only what its test publishes from now on: reading every earlier test's runs
   * again made each test slower and let those runs satisfy its counts. The sweep feed needs no
   * commit: it keeps no offsets and always reads qgm.sweeps from the start.
   */
  private static void startAfterEarlierTests(String groupPrefix) throws Exception {
    try (Admin admin =
        Admin.create(Map.<String, Object>of("bootstrap.servers", stack.bootstrapServers()))) {
      admin
          .alterConsumerGroupOffsets(groupPrefix + "-mlflow", metricsEndOffsets(admin))
          .all()
          .get();
    }
  }

  /** The current end of every partition of qgm.metrics, as offsets a group could commit. */
  private static Map<TopicPartition, OffsetAndMetadata> metricsEndOffsets(Admin admin)
      throws Exception {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (TopicPartitionInfo partition :
        admin
            .describeTopics(List.of(Topics.METRICS))
            .allTopicNames()
            .get()
            .get(Topics.METRICS)
            .partitions()) {
      latest.put(new TopicPartition(Topics.METRICS, partition.partition()), OffsetSpec.latest());
    }
    Map<TopicPartition, OffsetAndMetadata> ends = new HashMap<>();
    admin
        .listOffsets(latest)
        .all()
        .get()
        .forEach((partition, end) -> ends.put(partition, new OffsetAndMetadata(end.offset())));
    return ends;
  }

  /** 40 of the 64 outcomes of 6 qubits: more than a chart shows one by one. */
  private static Histogram wideHistogram(int epoch) {
    List<Long> outcomes = new ArrayList<>();
    List<Long> counts = new ArrayList<>();
    List<Double> target = new ArrayList<>();
    for (long x = 0; x < 40; x++) {
      outcomes.add(x);
      counts.add(x % 3 == 0 ? 50L : 0L);
      target.add(1 / 40.0);
    }
    long shots = counts.stream().mapToLong(Long::longValue).sum();
    return Histogram.newBuilder()
        .setEpoch(epoch)
        .setShots(shots)
        .setOutcomes(outcomes)
        .setCounts(counts)
        .setTarget(target)
        .build();
  }

  private static SweepSummary sweepSummary(
      String experiment, String config, int rank, double ksMean, double klMean) {
    return SweepSummary.newBuilder()
        .setExperiment(experiment)
        .setConfigId(config)
        .setRuns(3)
        .setRank(rank)
        .setConfigurations(2)
        .setUpdatedTime(java.time.Instant.ofEpochMilli(SinkRecords.T0 + 60_000))
        .setStatistics(
            Map.of(
                "final_ks_mean",
                ksMean,
                "final_ks_std",
                0.02,
                "final_ks_ci_low",
                ksMean - 0.05,
                "final_ks_ci_high",
                ksMean + 0.05,
                "final_kl_mean",
                klMean,
                "final_kl_std",
                0.04,
                "final_kl_ci_low",
                klMean - 0.1,
                "final_kl_ci_high",
                klMean + 0.1))
        .build();
  }

  /** Reads the run back with MLflow's Python client until the condition holds. */
  private static JsonNode awaitReadBack(String experiment, String run, Predicate<JsonNode> done)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (true) {
      JsonNode found = mlflow.readRun(experiment, run);
      if (done.test(found)) {
        return found;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("MLflow did not get there: " + found);
      }
      Thread.sleep(1000);
    }
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
