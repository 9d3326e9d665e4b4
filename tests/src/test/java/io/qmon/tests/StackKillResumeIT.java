package io.qmon.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import io.qmon.schemas.serde.RestSchemaRegistry;
import java.io.IOException;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code qmon stack} killed outright mid-run — the launcher, the broker and the registry all with
 * SIGKILL at once, as a power cut or an OOM killer would — and started again on the same home: it
 * comes back on the same ports, resumes the job from its newest retained checkpoint, and the runs
 * published across the kill are finished with every epoch's metric record present. At least once:
 * an epoch's record may come twice, only with the same record id and values; exactly once: a {@code
 * read_committed} reader sees each once. The counts are printed for the issue notes.
 */
class StackKillResumeIT {
  private static final int QUBITS = 3;
  private static final int RUNS = 4;
  private static final int EPOCHS = 150;
  private static final Duration WAIT = Duration.ofSeconds(400);
  private static final Pattern BOOTSTRAP = Pattern.compile("kafka bootstrap servers : (\\S+)");
  private static final Pattern REGISTRY = Pattern.compile("schema registry url     : (\\S+)");

  @ParameterizedTest
  @ValueSource(strings = {"at-least-once", "exactly-once"})
  void shouldFinishEveryRunAfterTheWholeStackIsKilledAndStartedAgain(String guarantee)
      throws Exception {
    long storyStart = System.nanoTime();
    Path home =
        Files.createTempDirectory(
            Files.createDirectories(Path.of(System.getProperty("qmon.home"))),
            "kill-resume-" + guarantee + "-");
    String prefix = "it-kill-resume-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    Process first = launch(home, guarantee, 1);
    Process second = null;
    MetricTally tally = null;
    try {
      String output = awaitOutput(first, home, 1, "is up");
      String bootstrap = match(BOOTSTRAP, output);
      String registryUrl = match(REGISTRY, output);
      tally = new MetricTally(bootstrap, registryUrl, prefix);
      tally.start();
      try (QmonPublisher publisher =
          QmonPublisher.builder()
              .bootstrapServers(bootstrap)
              .schemaRegistryUrl(registryUrl)
              .producerId(prefix + "publisher")
              // The broker is away while the stack restarts: sends wait in the buffer meanwhile,
              // and
              // a send whose topic's metadata went stale waits for the broker to return.
              .deliveryTimeout(Duration.ofMinutes(5))
              .maxBlock(Duration.ofMinutes(5))
              .requestTimeout(Duration.ofSeconds(10))
              .build()) {
        String targetId = TargetEvents.standardNormalId(QUBITS);
        publisher.publishTarget(TargetEvents.toEvent(targetId, Target.standardNormal(QUBITS)));
        List<RunPublisher> runs = new ArrayList<>();
        for (int r = 0; r < RUNS; r++) {
          runs.add(startRun(publisher, targetId, prefix + r));
        }
        publisher.flush();
        CompletableFuture<Void> load = publishEpochs(publisher, runs);

        MetricTally seen = tally;
        await(
            () -> seen.distinct() >= RUNS * EPOCHS / 3 && hasRetainedCheckpoint(home),
            "a third of the epochs scored and a checkpoint retained",
            seen);
        int scoredBeforeKill = tally.distinct();
        List<ProcessHandle> killed = killProcessTree(first);
        for (ProcessHandle process : killed) {
          process.onExit().get(30, TimeUnit.SECONDS);
        }
        long killedAt = System.nanoTime();

        second = launch(home, guarantee, 2);
        String resumed = awaitOutput(second, home, 2, "is up");
        double restartSeconds = (System.nanoTime() - killedAt) / 1e9;
        assertEquals(bootstrap, match(BOOTSTRAP, resumed), "the broker came back on its port");
        assertEquals(registryUrl, match(REGISTRY, resumed), "the registry came back on its port");
        String startedFrom = match(Pattern.compile("job started from +: (.+)"), resumed);
        assertTrue(startedFrom.startsWith("checkpoint "), "resumed from a checkpoint: " + resumed);

        load.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        Set<String> expected = epochIds(prefix);
        await(() -> seen.ids().containsAll(expected), "every epoch's metric record", seen);
        Counts counts = tally.counts(expected);
        System.out.printf(
            "StackKillResumeIT (%s): launcher, broker and registry (%d processes) killed with"
                + " kill -9 after %d of %d epochs had records; restarted and up again in %.1f s"
                + " (%s); lost %d, duplicated %d (records %d for %d epochs; all duplicates with"
                + " equal record id and equal metrics: %s); story %d s%n",
            guarantee,
            killed.size(),
            scoredBeforeKill,
            expected.size(),
            restartSeconds,
            startedFrom,
            counts.lost(),
            counts.duplicates(),
            counts.records(),
            expected.size(),
            counts.duplicatesIdentical(),
            Duration.ofNanos(System.nanoTime() - storyStart).toSeconds());
        assertEquals(0, counts.lost(), "epochs without a metric record");
        assertTrue(counts.duplicatesIdentical(), "a replayed record repeats id and values");
        if (guarantee.equals("exactly-once")) {
          assertEquals(0, counts.duplicates(), "duplicates seen by a read_committed reader");
        }
      }
    } finally {
      if (tally != null) {
        tally.close();
      }
      stop(second);
      stop(first);
    }
  }

  /** {@code qmon stack} in its own JVM on {@code home}, keeping its state there. */
  private static Process launch(Path home, String guarantee, int start) throws IOException {
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Dqmon.home=" + home,
            "-Dqmon.log.file=" + home.resolve("qmon-" + start + ".log"),
            "-Dqmon.persist=true",
            // A shared, loaded build machine can take minutes to start a broker.
            "-Dqmon.startup-timeout-s=300",
            "-Dqmon.job.delivery-guarantee=" + guarantee,
            "-Dqmon.job.checkpoint-interval-ms=1000",
            // The default job.stall-timeout-ms (5 min) on purpose: the kill-to-restart gap, minutes
            // on a loaded machine, must not close the runs as stalled on resume.
            "-cp",
            System.getProperty("java.class.path"),
            "io.qmon.launcher.Qmon",
            "stack",
            // MLflow is not part of this story; its server would only slow both starts down.
            "--no-mlflow");
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(home.resolve("output-" + start + ".txt").toFile())
        .start();
  }

  private static String awaitOutput(Process process, Path home, int start, String text)
      throws Exception {
    Path output = home.resolve("output-" + start + ".txt");
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      String printed = Files.exists(output) ? Files.readString(output) : "";
      if (printed.contains(text) && printed.contains("job started from")) {
        return printed;
      }
      if (!process.isAlive()) {
        throw new AssertionError("qmon stack exited early:\n" + printed);
      }
      Thread.sleep(200);
    }
    throw new AssertionError("qmon stack did not print '" + text + "' in time; see " + output);
  }

  /** SIGKILL to the launcher and every process under it at once; returns them. */
  private static List<ProcessHandle> killProcessTree(Process launcher) throws Exception {
    List<ProcessHandle> tree = new ArrayList<>(launcher.descendants().toList());
    tree.add(launcher.toHandle());
    assertTrue(tree.size() >= 3, "launcher, broker and registry: " + tree);
    List<String> kill = new ArrayList<>(List.of("kill", "-KILL"));
    tree.forEach(process -> kill.add(Long.toString(process.pid())));
    assertEquals(0, new ProcessBuilder(kill).inheritIO().start().waitFor(), "kill -9 " + tree);
    return tree;
  }

  /**
   * SIGKILL to the launcher and everything under it, waiting until they are gone. Not a graceful
   * stop: nothing here depends on one (Ctrl-C has its own tests), the state lives in a temporary
   * home, and a graceful {@code qmon stack} stop (job cancel, then broker and registry shut down in
   * turn) cost this test about 30 s per case.
   */
  private static void stop(Process process) throws Exception {
    if (process == null) {
      return;
    }
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    tree.add(process.toHandle());
    tree.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle gone : tree) {
      gone.onExit().get(30, TimeUnit.SECONDS);
    }
  }

  private static boolean hasRetainedCheckpoint(Path home) {
    Path root = home.resolve("checkpoints");
    if (!Files.isDirectory(root)) {
      return false;
    }
    try (Stream<Path> files = Files.walk(root, 3)) {
      return files.anyMatch(path -> path.getFileName().toString().equals("_metadata"));
    } catch (IOException e) {
      // A checkpoint folder Flink is deleting as the walk passes: look again on the next poll.
      return false;
    }
  }

  /** Publishes every run's epochs in rounds, then finishes the runs. */
  private static CompletableFuture<Void> publishEpochs(
      QmonPublisher publisher, List<RunPublisher> runs) {
    return CompletableFuture.runAsync(
        () -> {
          for (int epoch = 1; epoch <= EPOCHS; epoch++) {
            for (RunPublisher run : runs) {
              int tilt = epoch % 9;
              run.publishEpoch(
                  epoch,
                  new long[] {2, 3, 4, 5},
                  new long[] {10 + tilt, 40, 40, 10 - tilt},
                  Map.of());
            }
            try {
              Thread.sleep(60);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new IllegalStateException("interrupted while publishing", e);
            }
          }
          runs.forEach(run -> run.finish(RunStatus.SUCCEEDED, null));
          publisher.flush();
        });
  }

  private static RunPublisher startRun(QmonPublisher publisher, String targetId, String runId) {
    return publisher.startRun(
        RunStarted.newBuilder()
            .setExperiment("it-kill-resume")
            .setModelType("born_machine")
            .setAnsatz("real_amplitudes")
            .setRepetitions(1)
            .setQubits(QUBITS)
            .setShots(100)
            .setBackend("hand-written")
            .setOptimizer("none")
            .setSeed(0)
            .setTargetId(targetId)
            .build(),
        runId);
  }

  private static Set<String> epochIds(String prefix) {
    Set<String> ids = new TreeSet<>();
    for (int r = 0; r < RUNS; r++) {
      for (int epoch = 1; epoch <= EPOCHS; epoch++) {
        ids.add(prefix + r + "/epoch/" + epoch);
      }
    }
    return ids;
  }

  private static String match(Pattern pattern, String text) {
    Matcher matcher = pattern.matcher(text);
    assertTrue(matcher.find(), pattern + " in:\n" + text);
    return matcher.group(1).trim();
  }

  private static void await(BooleanSupplier condition, String what, MetricTally tally)
      throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      assertFalse(tally.failed(), "the metrics reader failed");
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "Timed out waiting for " + what + " (" + tally.distinct() + " epoch records)");
      }
      Thread.sleep(200);
    }
  }

  /** Lost and duplicated among the expected epoch records. */
  record Counts(int lost, int duplicates, int records, boolean duplicatesIdentical) {}

  /**
   * Reads this test's EPOCH metric records ({@code read_committed}) from the start of the topic in
   * a thread of its own, across the broker's restart, counting each record id.
   */
  static final class MetricTally implements AutoCloseable {
    private final String bootstrap;
    private final String registryUrl;
    private final String prefix;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Map<String, MetricRecord> first = new HashMap<>();
    private final Map<String, Integer> count = new HashMap<>();
    private final Set<String> differing = new TreeSet<>();
    private final Thread thread;
    private volatile boolean failed;

    MetricTally(String bootstrap, String registryUrl, String prefix) {
      this.bootstrap = bootstrap;
      this.registryUrl = registryUrl;
      this.prefix = prefix;
      this.thread = new Thread(this::read, "metric-tally");
    }

    void start() {
      thread.start();
    }

    private void read() {
      Properties props = new Properties();
      props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      ConfluentAvroSerde<MetricRecord> serde =
          new ConfluentAvroSerde<>(new RestSchemaRegistry(registryUrl), MetricRecord.SCHEMA$);
      try (KafkaConsumer<byte[], byte[]> consumer =
          new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        // Assigned, not subscribed: no group, so the broker's restart triggers no rebalance that
        // would rewind the reader to older committed offsets and count records twice.
        List<TopicPartition> partitions = new ArrayList<>();
        consumer
            .partitionsFor(Topics.METRICS)
            .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        while (running.get()) {
          for (ConsumerRecord<byte[], byte[]> raw : consumer.poll(Duration.ofMillis(100))) {
            MetricRecord record = serde.deserialize(raw.value());
            if (record.getScope() == MetricScope.EPOCH && record.getRunId().startsWith(prefix)) {
              add(record);
            }
          }
        }
      } catch (RuntimeException e) {
        failed = true;
        throw e;
      }
    }

    private synchronized void add(MetricRecord record) {
      String id = record.getRecordId();
      MetricRecord earlier = first.putIfAbsent(id, record);
      count.merge(id, 1, Integer::sum);
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

    synchronized Set<String> ids() {
      return new TreeSet<>(count.keySet());
    }

    synchronized Counts counts(Set<String> expected) {
      int lost = 0;
      int duplicates = 0;
      int records = 0;
      for (String id : expected) {
        Integer n = count.get(id);
        if (n == null) {
          lost++;
          continue;
        }
        records += n;
        duplicates += n - 1;
      }
      return new Counts(lost, duplicates, records, differing.isEmpty());
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
