package io.qmon.tests.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.qmon.producers.sdk.QmonPublisher;
import io.qmon.producers.sdk.RunPublisher;
import io.qmon.producers.train.Target;
import io.qmon.producers.worker.TargetEvents;
import io.qmon.schemas.MetricRecord;
import io.qmon.schemas.MetricScope;
import io.qmon.schemas.RunStarted;
import io.qmon.schemas.RunStatus;
import io.qmon.schemas.Topics;
import io.qmon.schemas.serde.ConfluentAvroSerde;
import io.qmon.stack.EmbeddedStack;
import io.qmon.stack.cluster.StandaloneFlinkCluster;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The job on a real Flink cluster — the PyPI distribution's own JobManager and two TaskManagers as
 * separate JVMs, the shaded jar submitted with {@code bin/flink run -d} — against the embedded
 * broker and registry, through one story:
 *
 * <ol>
 *   <li>a TaskManager is killed with {@code kill -9} while runs publish, and a new one started: the
 *       job restores from its last checkpoint; every epoch gets its metric record (at-least-once:
 *       replays only under the same record id, with the same values);
 *   <li>{@code flink stop --savepointPath} and {@code flink run -s}: a run left open across the
 *       stop is finished by the new job (its state came back) and nothing is processed twice;
 *   <li>{@code flink cancel} and a new {@code flink run} without a savepoint: the checkpoint is
 *       retained, and the new job starts from the group's committed offsets (nothing re-emitted);
 *   <li>the broker is killed with {@code kill -9} while the Java and Python SDKs publish, and
 *       started again from the same log folder on the same port: every epoch gets its record.
 * </ol>
 *
 * A second test kills a TaskManager under exactly-once sinks, with a spare TaskManager waiting: a
 * {@code read_committed} reader sees every epoch exactly once. A third checks the durability
 * settings as the cluster reports them and measures what checkpoints cost with {@value
 * #STATE_SIZE_RUNS} open runs, with the {@code hashmap} and the {@code rocksdb} state backend. All
 * three share one cluster (starting one costs a minute or more on a loaded machine). The figures
 * (counts, kill-to-first-record time, checkpoint size and duration) are printed for the issue
 * notes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFailoverIT {
  private static final int QUBITS = 3;
  private static final int KILL_RUNS = 5;
  private static final int KILL_EPOCHS = 200;
  private static final int PYTHON_EPOCHS = 30;
  private static final int BROKER_RUNS = 3;
  private static final int BROKER_EPOCHS = 150;
  private static final int BROKER_PYTHON_EPOCHS = 60;
  private static final int STATE_SIZE_RUNS = 1000;
  private static final Duration WAIT = QmonOnCluster.WAIT;
  private static final Pattern SAVEPOINT = Pattern.compile("Savepoint completed\\. Path: (\\S+)");

  private static QmonOnCluster qmon;
  private static EmbeddedStack stack;
  private static StandaloneFlinkCluster cluster;
  private static MetricTally tally;
  private static String groupId;
  private static String runningJob;

  @BeforeAll
  static void startEverything() throws Exception {
    qmon = QmonOnCluster.start("cluster-failover");
    stack = qmon.stack;
    cluster = qmon.cluster;
    groupId = "it-cluster-" + UUID.randomUUID();
    tally = new MetricTally(stack);
    tally.start();
  }

  @AfterAll
  static void stopEverything() {
    if (tally != null) {
      tally.close();
    }
    if (qmon != null) {
      qmon.close();
    }
  }

  /** Frees the cluster's two slots for the next test. */
  @AfterEach
  void cancelTheRunningJob() throws Exception {
    if (runningJob != null) {
      qmon.cancelIfRunning(runningJob);
      runningJob = null;
    }
  }

  @Test
  @Order(2)
  void shouldNeitherLoseNorDuplicateForAReadCommittedReaderWhenATaskManagerDiesExactlyOnce()
      throws Exception {
    try (QmonPublisher publisher =
        QmonPublisher.builder()
            .bootstrapServers(stack.bootstrapServers())
            .schemaRegistryUrl(stack.schemaRegistryUrl())
            .producerId("it-cluster-exactly-once")
            .build()) {
      String targetId = TargetEvents.standardNormalId(QUBITS);
      publisher.publishTarget(TargetEvents.toEvent(targetId, Target.standardNormal(QUBITS)));
      publisher.flush();
      String job = submit(null, groupId + "-eo", "exactly-once");
      Counts kill =
          killATaskManagerMidRun(
              publisher, targetId, job, "it-cluster-eo-", "exactly-once", 0, true);
      assertEquals(0, kill.lost(), "epochs without a metric record after the kill");
      assertEquals(0, kill.duplicates(), "read_committed duplicates after the kill");
    }
  }

  @Test
  @Order(1)
  void shouldLoseNothingThroughATaskManagerKillAStopWithSavepointAndACancelAndResubmit()
      throws Exception {
    long storyStart = System.nanoTime();
    try (QmonPublisher publisher =
        QmonPublisher.builder()
            .bootstrapServers(stack.bootstrapServers())
            .schemaRegistryUrl(stack.schemaRegistryUrl())
            .producerId("it-cluster-failover")
            .build()) {
      String targetId = TargetEvents.standardNormalId(QUBITS);
      publisher.publishTarget(TargetEvents.toEvent(targetId, Target.standardNormal(QUBITS)));
      publisher.flush();

      String job = submit(null);
      awaitCheckpoints(job, 1);

      // (a) kill -9 one TaskManager while five runs publish, then start a replacement.
      Counts kill =
          killATaskManagerMidRun(
              publisher, targetId, job, "it-cluster-kill-", "at-least-once", PYTHON_EPOCHS, false);
      assertEquals(0, kill.lost(), "epochs without a metric record after the kill");
      assertTrue(kill.duplicatesIdentical(), "replayed records carry the same values");

      // (b) stop with a savepoint while a run is open; run again from it; finish the run.
      RunPublisher open = startRun(publisher, targetId, "it-cluster-savepoint");
      for (int epoch = 1; epoch <= 50; epoch++) {
        publishEpoch(open, epoch);
      }
      publisher.flush();
      Set<String> firstHalf = epochIds("it-cluster-savepoint", 1, 50);
      await(() -> tally.ids().containsAll(firstHalf), "the open run's first 50 epochs");
      Map<String, Integer> beforeStop = tally.countsById();
      String stopped =
          cluster.flink(
              List.of(
                  "stop",
                  "-m",
                  cluster.restAddress(),
                  "--savepointPath",
                  qmon.work.resolve("savepoints").toUri().toString(),
                  job),
              WAIT);
      String savepoint = QmonOnCluster.match(SAVEPOINT, stopped);
      job = submit(savepoint);
      for (int epoch = 51; epoch <= 100; epoch++) {
        publishEpoch(open, epoch);
      }
      open.finish(RunStatus.SUCCEEDED, null);
      publisher.flush();
      Set<String> wholeRun = epochIds("it-cluster-savepoint", 1, 100);
      await(() -> tally.ids().containsAll(wholeRun), "the open run's last 50 epochs");
      int reprocessedAfterSavepoint = tally.growth(beforeStop);
      System.out.printf(
          "ClusterFailoverIT savepoint: stopped into %s, resumed as job %s; the run open across"
              + " the stop finished with %d of 100 epochs scored; records re-emitted: %d%n",
          savepoint, job, tally.counts(wholeRun).distinct(), reprocessedAfterSavepoint);
      assertEquals(0, reprocessedAfterSavepoint, "records written again after the savepoint");

      // (c) cancel without a savepoint and submit again: the committed offsets are the start.
      awaitCheckpoints(job, completedCheckpoints(job) + 2);
      Map<String, Integer> beforeCancel = tally.countsById();
      cluster.flink(List.of("cancel", "-m", cluster.restAddress(), job), WAIT);
      Path retained = Path.of(URI.create(qmon.checkpointDir)).resolve(job);
      assertTrue(
          hasCheckpoint(retained), "the cancelled job's checkpoint is retained in " + retained);
      runningJob = null;
      job = submit(null);
      RunPublisher after = startRun(publisher, targetId, "it-cluster-resubmit");
      for (int epoch = 1; epoch <= 30; epoch++) {
        publishEpoch(after, epoch);
      }
      after.finish(RunStatus.SUCCEEDED, null);
      publisher.flush();
      Set<String> resubmitted = epochIds("it-cluster-resubmit", 1, 30);
      await(() -> tally.ids().containsAll(resubmitted), "the run published after resubmission");
      int reemittedAfterCancel = tally.growth(beforeCancel);
      System.out.printf(
          "ClusterFailoverIT cancel: checkpoint retained in %s; resubmitted without savepoint as"
              + " job %s; new run scored %d of 30 epochs; old records re-emitted: %d%n",
          retained, job, tally.counts(resubmitted).distinct(), reemittedAfterCancel);
      assertEquals(0, reemittedAfterCancel, "old records written again after cancel + run");
      assertEquals(0, tally.counts(resubmitted).lost());

      // (d) kill -9 the broker while both SDKs publish; restart it from its log folder.
      Counts broker = killTheBrokerMidRun(publisher, targetId, job);
      assertEquals(0, broker.lost(), "epochs without a metric record after the broker kill");
      assertTrue(broker.duplicatesIdentical(), "replayed records carry the same values");
    }
    System.out.printf(
        "ClusterFailoverIT story took %d s%n",
        Duration.ofNanos(System.nanoTime() - storyStart).toSeconds());
  }

  /**
   * Each backend's job is submitted in turn, {@value #STATE_SIZE_RUNS} runs are opened (one epoch
   * each, none finished), and the checkpoint after they were all scored is measured.
   */
  @Test
  @Order(3)
  void shouldCheckpointAThousandOpenRunsWithEitherStateBackendAsConfigured() throws Exception {
    try (QmonPublisher publisher =
        QmonPublisher.builder()
            .bootstrapServers(stack.bootstrapServers())
            .schemaRegistryUrl(stack.schemaRegistryUrl())
            .producerId("it-cluster-state-size")
            .build()) {
      String targetId = TargetEvents.standardNormalId(QUBITS);
      publisher.publishTarget(TargetEvents.toEvent(targetId, Target.standardNormal(QUBITS)));
      publisher.flush();
      // One group: the second job starts from the offsets the first committed, so each job
      // holds exactly its own thousand runs.
      String group = groupId + "-state-size";
      for (String backend : List.of("hashmap", "rocksdb")) {
        String job = runningJob = qmon.submit(null, group, List.of("--job.state-backend", backend));
        JsonNode config = cluster.rest("/jobs/" + job + "/checkpoints/config");
        assertFalse(
            config.path("externalization").path("delete_on_cancellation").asBoolean(true),
            "checkpoints retained on cancellation: " + config);
        assertEquals(3, config.path("tolerable_failed_checkpoints").asInt(), config.toString());
        String expectedBackend =
            backend.equals("rocksdb") ? "EmbeddedRocksDBStateBackend" : "HashMapStateBackend";
        assertEquals(expectedBackend, config.path("state_backend").asText(), config.toString());
        assertEquals(
            "FileSystemCheckpointStorage",
            config.path("checkpoint_storage").asText(),
            config.toString());
        long emptySize = latestCheckpoint(job).path("state_size").asLong();

        String prefix = "it-cluster-state-" + backend + "-";
        for (int r = 0; r < STATE_SIZE_RUNS; r++) {
          RunPublisher run = startRun(publisher, targetId, prefix + r);
          run.publishEpoch(1, new long[] {2, 3, 4, 5}, new long[] {10, 40, 40, 10}, Map.of());
        }
        publisher.flush();
        await(() -> tally.distinct(prefix) >= STATE_SIZE_RUNS, "one epoch record per open run");
        assertEquals(STATE_SIZE_RUNS, tally.distinct(prefix), "one epoch record per open run");
        // Two more checkpoints: the second started after every run's state was written.
        awaitCheckpoints(job, completedCheckpoints(job) + 2);
        JsonNode full = latestCheckpoint(job);
        long size = full.path("state_size").asLong();
        System.out.printf(
            "ClusterFailoverIT state size %s: checkpoint %d with %d open runs: state %d bytes"
                + " (checkpointed %d bytes, %d bytes with none), end-to-end %d ms%n",
            backend,
            full.path("id").asLong(),
            STATE_SIZE_RUNS,
            size,
            full.path("checkpointed_size").asLong(),
            emptySize,
            full.path("end_to_end_duration").asLong());
        assertTrue(size > emptySize, "the open runs are in the checkpoint: " + full);
        qmon.cancelIfRunning(job);
        runningJob = null;
      }
    }
  }

  private static JsonNode latestCheckpoint(String job) throws Exception {
    return qmon.checkpoints(job).path("latest").path("completed");
  }

  /**
   * Publishes {@link #KILL_RUNS} runs of {@link #KILL_EPOCHS} epochs through the Java SDK (and,
   * unless {@code pythonEpochs} is 0, a Qiskit run through the Python SDK), kills a TaskManager
   * with {@code kill -9} once a quarter of them have records, starts a replacement (unless spare),
   * waits for every epoch's record and prints the figures. With {@code spare}, a third TaskManager
   * is registered before the kill and stands in for the killed one (no replacement is started), so
   * the restart need not wait for a JVM to start: the figures then show failover alone.
   */
  private static Counts killATaskManagerMidRun(
      QmonPublisher publisher,
      String targetId,
      String job,
      String prefix,
      String guarantee,
      int pythonEpochs,
      boolean spare)
      throws Exception {
    if (spare) {
      int running = cluster.taskManagerIds().size();
      cluster.startTaskManager();
      cluster.awaitTaskManagers(running + 1, WAIT);
    }
    PythonSdkRun python =
        pythonEpochs == 0
            ? null
            : PythonSdkRun.start(
                stack.bootstrapServers(),
                stack.schemaRegistryUrl(),
                prefix + "py",
                pythonEpochs,
                qmon.work.resolve(prefix + "py.log"));
    try {
      return killMidRun(publisher, targetId, job, prefix, guarantee, python, pythonEpochs, spare);
    } finally {
      if (python != null) {
        python.stop();
      }
    }
  }

  private static Counts killMidRun(
      QmonPublisher publisher,
      String targetId,
      String job,
      String prefix,
      String guarantee,
      PythonSdkRun python,
      int pythonEpochs,
      boolean spare)
      throws Exception {
    List<RunPublisher> runs = new ArrayList<>();
    for (int r = 0; r < KILL_RUNS; r++) {
      runs.add(startRun(publisher, targetId, prefix + r));
    }
    // The second half waits for the kill, so the restored job must score it: on a loaded machine
    // a free-running load was once scored in full before the kill took effect.
    CompletableFuture<Void> killed = new CompletableFuture<>();
    CompletableFuture<Void> load =
        publishInBackground(publisher, runs, KILL_EPOCHS, KILL_EPOCHS / 2, killed);
    await(() -> tally.distinct(prefix) >= KILL_RUNS * KILL_EPOCHS / 4, "a quarter of the epochs");
    long checkpointsBeforeKill = completedCheckpoints(job);
    assertTrue(checkpointsBeforeKill >= 1, "a checkpoint to restore from exists");
    Set<String> seenBeforeKill = tally.ids();
    Set<String> taskManagersBeforeKill = cluster.taskManagerIds();
    int victim = cluster.firstLiveTaskManager();
    long killedPid = cluster.taskManagerPid(victim);
    long killedAtMs = System.currentTimeMillis();
    cluster.killTaskManager(victim);
    killed.complete(null);
    String replacement = "the spare TaskManager stood in (no replacement started)";
    if (!spare) {
      cluster.startTaskManager();
      await(
          () -> {
            try {
              return !taskManagersBeforeKill.containsAll(cluster.taskManagerIds());
            } catch (IOException | InterruptedException e) {
              return false;
            }
          },
          "the replacement TaskManager to register");
      replacement =
          "replacement TaskManager registered "
              + (System.currentTimeMillis() - killedAtMs)
              + " ms after the kill";
    }
    load.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    Set<String> expectedKill = epochIds(prefix, KILL_RUNS, 1, KILL_EPOCHS);
    if (python != null) {
      python.await(WAIT.toSeconds());
      expectedKill.addAll(epochIds(prefix + "py", 1, pythonEpochs));
    }
    await(() -> tally.ids().containsAll(expectedKill), "every epoch of the killed phase");
    await(
        () -> {
          try {
            return latestCheckpoints(job).path("restored").has("restore_timestamp");
          } catch (IOException | InterruptedException e) {
            return false; // the REST endpoint is busy with the restart: asked again
          }
        },
        "the job's checkpoint statistics to report a restore from a checkpoint");
    JsonNode restored = latestCheckpoints(job);
    long restoredAtMs = restored.path("restored").path("restore_timestamp").asLong();
    long firstNewRecordMs = tally.firstArrivalAfter(restoredAtMs, seenBeforeKill);
    Counts kill = tally.counts(expectedKill);
    System.out.printf(
        "ClusterFailoverIT kill (%s, spare TaskManager waiting: %s): TaskManager pid %d killed with kill -9 after %d of %d epochs"
            + " had records; restored from checkpoint %d %d ms after the kill; %s; first new"
            + " metric record %d ms after the kill; lost %d, duplicated %d (records %d for %d epochs, all"
            + " duplicates with equal record id and equal metrics: %s)%n",
        guarantee,
        spare,
        killedPid,
        seenBeforeKill.stream().filter(id -> id.startsWith(prefix)).count(),
        expectedKill.size(),
        restored.path("restored").path("id").asLong(),
        restoredAtMs - killedAtMs,
        replacement,
        firstNewRecordMs - killedAtMs,
        kill.lost(),
        kill.duplicates(),
        kill.records(),
        expectedKill.size(),
        kill.duplicatesIdentical());
    return kill;
  }

  /**
   * Publishes {@link #BROKER_RUNS} runs through the Java SDK and a Qiskit run through the Python
   * SDK, kills the broker with {@code kill -9} once a quarter of the Java epochs have records,
   * starts it again from the same log folder on the same ports while the producers keep publishing
   * (they buffer and retry), waits for every epoch's record and prints the counts.
   */
  private static Counts killTheBrokerMidRun(QmonPublisher publisher, String targetId, String job)
      throws Exception {
    String prefix = "it-cluster-broker-";
    PythonSdkRun python =
        PythonSdkRun.start(
            stack.bootstrapServers(),
            stack.schemaRegistryUrl(),
            prefix + "py",
            BROKER_PYTHON_EPOCHS,
            qmon.work.resolve(prefix + "py.log"));
    try {
      // The Python SDK's first records before the Java load starts, so both publish across the
      // kill.
      await(() -> tally.distinct(prefix + "py") >= 1, "the Python SDK's first epoch record");
      List<RunPublisher> runs = new ArrayList<>();
      for (int r = 0; r < BROKER_RUNS; r++) {
        runs.add(startRun(publisher, targetId, prefix + r));
      }
      CompletableFuture<Void> load = publishInBackground(publisher, runs, BROKER_EPOCHS);
      await(
          () -> tally.distinct(prefix) >= BROKER_RUNS * BROKER_EPOCHS / 4,
          "a quarter of the epochs before the broker kill");
      int seenBeforeKill = tally.distinct(prefix);
      int pythonBeforeKill = tally.distinct(prefix + "py");
      long pid = stack.kafkaPid();
      long killedAt = System.nanoTime();
      stack.kafka().kill();
      stack.kafka().restart(WAIT);
      long restartedMs = Duration.ofNanos(System.nanoTime() - killedAt).toMillis();
      load.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      python.await(WAIT.toSeconds());
      Set<String> expected = epochIds(prefix, BROKER_RUNS, 1, BROKER_EPOCHS);
      expected.addAll(epochIds(prefix + "py", 1, BROKER_PYTHON_EPOCHS));
      await(() -> tally.ids().containsAll(expected), "every epoch of the broker-kill phase");
      long allBackMs = Duration.ofNanos(System.nanoTime() - killedAt).toMillis();
      Counts counts = tally.counts(expected);
      System.out.printf(
          "ClusterFailoverIT broker kill (job %s, at-least-once): broker pid %d killed with kill -9"
              + " after %d of %d epochs had records (Java SDK %d runs x %d epochs, Python SDK 1"
              + " run x %d epochs, %d of them recorded before the kill); serving again from the same log folder and port %d ms after"
              + " the kill; every epoch recorded %d ms after the kill; lost %d, duplicated %d"
              + " (records %d for %d epochs, all duplicates with equal record id and equal"
              + " metrics: %s)%n",
          job,
          pid,
          seenBeforeKill,
          expected.size(),
          BROKER_RUNS,
          BROKER_EPOCHS,
          BROKER_PYTHON_EPOCHS,
          pythonBeforeKill,
          restartedMs,
          allBackMs,
          counts.lost(),
          counts.duplicates(),
          counts.records(),
          expected.size(),
          counts.duplicatesIdentical());
      return counts;
    } finally {
      python.stop();
    }
  }

  /** Publishes epochs 1..epochs of every run, 40 ms apart, then finishes the runs. */
  private static CompletableFuture<Void> publishInBackground(
      QmonPublisher publisher, List<RunPublisher> runs, int epochs) {
    return publishInBackground(
        publisher, runs, epochs, epochs, CompletableFuture.completedFuture(null));
  }

  /** As above, holding every epoch after {@code holdAfter} until {@code resume} completes. */
  private static CompletableFuture<Void> publishInBackground(
      QmonPublisher publisher,
      List<RunPublisher> runs,
      int epochs,
      int holdAfter,
      CompletableFuture<Void> resume) {
    return CompletableFuture.runAsync(
        () -> {
          for (int epoch = 1; epoch <= epochs; epoch++) {
            if (epoch == holdAfter + 1) {
              resume.join();
            }
            for (RunPublisher run : runs) {
              publishEpoch(run, epoch);
            }
            publisher.flush();
            sleep(40);
          }
          runs.forEach(run -> run.finish(RunStatus.SUCCEEDED, null));
          publisher.flush();
        });
  }

  /** Submits at least once with the story's group; returns the job id. */
  private static String submit(String savepoint) throws Exception {
    return submit(savepoint, groupId, "at-least-once");
  }

  /** Submits the job (cancelled after the test) and returns its id. */
  private static String submit(String savepoint, String group, String guarantee) throws Exception {
    runningJob = qmon.submit(savepoint, group, List.of("--job.delivery-guarantee", guarantee));
    return runningJob;
  }

  private static JsonNode latestCheckpoints(String job) throws IOException, InterruptedException {
    return cluster.rest("/jobs/" + job + "/checkpoints").path("latest");
  }

  private static long completedCheckpoints(String job) throws Exception {
    return qmon.completedCheckpoints(job);
  }

  private static void awaitCheckpoints(String job, long completed) throws Exception {
    qmon.awaitCheckpoints(job, completed);
  }

  private static RunPublisher startRun(QmonPublisher publisher, String targetId, String runId) {
    return publisher.startRun(started(targetId), runId);
  }

  private static RunStarted started(String targetId) {
    return RunStarted.newBuilder()
        .setExperiment("it-cluster-failover")
        .setModelType("born_machine")
        .setAnsatz("real_amplitudes")
        .setRepetitions(1)
        .setQubits(QUBITS)
        .setShots(100)
        .setBackend("hand-written")
        .setOptimizer("none")
        .setSeed(0)
        .setTargetId(targetId)
        .build();
  }

  private static void publishEpoch(RunPublisher run, int epoch) {
    int tilt = epoch % 9;
    run.publishEpoch(
        epoch, new long[] {2, 3, 4, 5}, new long[] {10 + tilt, 40, 40, 10 - tilt}, Map.of());
  }

  /** Record ids of epochs first..last of runs prefix0, prefix1, ... */
  private static Set<String> epochIds(String prefix, int runs, int first, int last) {
    Set<String> ids = new TreeSet<>();
    for (int r = 0; r < runs; r++) {
      ids.addAll(epochIds(prefix + r, first, last));
    }
    return ids;
  }

  /** Record ids of epochs first..last of one run. */
  private static Set<String> epochIds(String runId, int first, int last) {
    Set<String> ids = new TreeSet<>();
    for (int epoch = first; epoch <= last; epoch++) {
      ids.add(runId + "/epoch/" + epoch);
    }
    return ids;
  }

  private static boolean hasCheckpoint(Path jobDir) throws IOException {
    if (!Files.isDirectory(jobDir)) {
      return false;
    }
    try (Stream<Path> entries = Files.list(jobDir)) {
      return entries.anyMatch(p -> p.getFileName().toString().startsWith("chk-"));
    }
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      assertFalse(tally.failed(), "the metrics reader failed");
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "Timed out waiting for "
                + what
                + " ("
                + tally.distinct()
                + " epoch records); logs in "
                + cluster.logDir());
      }
      Thread.sleep(200);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Lost and duplicated among the expected epoch records. */
  record Counts(int lost, int duplicates, int records, int distinct, boolean duplicatesIdentical) {}

  /**
   * Reads every EPOCH metric record of this test from the start of the topic in a thread of its
   * own, keeping each id's first record, how often it came, and when each arrived.
   */
  static final class MetricTally implements AutoCloseable {
    private final EmbeddedStack stack;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Map<String, MetricRecord> first = new HashMap<>();
    private final Map<String, Integer> count = new HashMap<>();
    private final Map<String, Long> firstArrivalMs = new HashMap<>();
    private final Set<String> differing = new TreeSet<>();
    private final Thread thread;
    private volatile boolean failed;

    MetricTally(EmbeddedStack stack) {
      this.stack = stack;
      this.thread = new Thread(this::read, "metric-tally");
    }

    void start() {
      thread.start();
    }

    private void read() {
      Properties props = new Properties();
      props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
      props.put(ConsumerConfig.GROUP_ID_CONFIG, "it-cluster-tally-" + UUID.randomUUID());
      props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      ConfluentAvroSerde<MetricRecord> serde =
          new ConfluentAvroSerde<>(stack.schemaRegistry(), MetricRecord.SCHEMA$);
      try (KafkaConsumer<byte[], byte[]> consumer =
          new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        consumer.subscribe(List.of(Topics.METRICS));
        while (running.get()) {
          for (ConsumerRecord<byte[], byte[]> raw : consumer.poll(Duration.ofMillis(100))) {
            MetricRecord record = serde.deserialize(raw.value());
            if (record.getScope() == MetricScope.EPOCH
                && record.getRunId().startsWith("it-cluster-")) {
              add(record, System.currentTimeMillis());
            }
          }
        }
      } catch (RuntimeException e) {
        failed = true;
        throw e;
      }
    }

    private synchronized void add(MetricRecord record, long arrivalMs) {
      String id = record.getRecordId();
      MetricRecord earlier = first.putIfAbsent(id, record);
      count.merge(id, 1, Integer::sum);
      firstArrivalMs.putIfAbsent(id, arrivalMs);
      if (earlier != null
          && !(earlier.getMetrics().equals(record.getMetrics())
              && earlier.getRunId().equals(record.getRunId())
              && earlier.getFirstEpoch() == record.getFirstEpoch())) {
        differing.add(id);
      }
    }

    boolean failed() {
      return failed;
    }

    synchronized int distinct() {
      return count.size();
    }

    synchronized int distinct(String prefix) {
      return (int) count.keySet().stream().filter(id -> id.startsWith(prefix)).count();
    }

    synchronized Set<String> ids() {
      return new TreeSet<>(count.keySet());
    }

    synchronized Map<String, Integer> countsById() {
      return new HashMap<>(count);
    }

    /** Records that arrived since the snapshot for ids the snapshot already had. */
    synchronized int growth(Map<String, Integer> snapshot) {
      int grown = 0;
      for (Map.Entry<String, Integer> entry : snapshot.entrySet()) {
        grown += count.get(entry.getKey()) - entry.getValue();
      }
      return grown;
    }

    /** Arrival time of the first record, new since {@code known}, that came after {@code ms}. */
    synchronized long firstArrivalAfter(long ms, Set<String> known) {
      return firstArrivalMs.entrySet().stream()
          .filter(e -> !known.contains(e.getKey()) && e.getValue() >= ms)
          .mapToLong(Map.Entry::getValue)
          .min()
          .orElseThrow(() -> new AssertionError("no new metric record after the restore"));
    }

    synchronized Counts counts(Set<String> expected) {
      int lost = 0;
      int duplicates = 0;
      int records = 0;
      int distinct = 0;
      boolean identical = true;
      for (String id : expected) {
        Integer n = count.get(id);
        if (n == null) {
          lost++;
          continue;
        }
        distinct++;
        records += n;
        duplicates += n - 1;
        identical &= !differing.contains(id);
      }
      return new Counts(lost, duplicates, records, distinct, identical);
    }

    @Override
    public void close() {
      running.set(false);
      try {
        thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
