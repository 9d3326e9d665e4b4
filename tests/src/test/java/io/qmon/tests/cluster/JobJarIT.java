package io.qmon.tests.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import io.qmon.stack.EmbeddedStack;
import io.qmon.stack.StackSettings;
import io.qmon.stack.process.ChildProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cluster path: the shaded job jar, started through its real entry point {@code
 * MonitoringJob.main} in its own JVM whose classpath is Flink's runtime plus that jar — as {@code
 * flink run} puts a user jar beside {@code flink-dist} — against the embedded broker and registry,
 * with addresses only from its command line. A few epochs must come back as metric records.
 */
class JobJarIT {
  private static final String JOB_JAR =
      "stream-jobs/target/qmon-stream-jobs-0.1.0-SNAPSHOT-job.jar";
  private static final String RUN_ID = "it-job-jar-run";
  private static final int QUBITS = 3;
  private static final int EPOCHS = 3;

  private static EmbeddedStack stack;
  private static ChildProcess job;

  @BeforeAll
  static void startStack() throws Exception {
    stack = EmbeddedStack.start(StackSettings.fromSystemProperties());
  }

  @AfterAll
  static void stopEverything() {
    if (job != null) {
      job.close();
    }
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void shouldScoreEpochsWhenTheShadedJarRunsThroughItsMainEntryPoint() throws Exception {
    Path root = Path.of(System.getProperty("qmon.root", ".")).toAbsolutePath().normalize();
    Path jar = root.resolve(JOB_JAR);
    assertTrue(
        Files.isRegularFile(jar),
        jar + " is missing: build it with `mvn -pl stream-jobs -am package -DskipTests`");
    List<String> classpath =
        new ArrayList<>(FlinkRuntimeClasspath.of(System.getProperty("java.class.path"), root));
    classpath.add(jar.toString());
    Path logs = StackSettings.fromSystemProperties().logDir();
    Files.createDirectories(logs);
    // ChildProcess runs the job under the launcher's ParentWatchdog (it adds only that class's
    // location), so the job JVM dies with this one even if the test is killed.
    job =
        ChildProcess.start(
            "job-jar",
            classpath,
            List.of("-Xmx512m", "-Dqmon.log.file=" + logs.resolve("job-jar.log")),
            "io.qmon.jobs.MonitoringJob",
            List.of(
                "--kafka.bootstrap-servers",
                stack.bootstrapServers(),
                "--schema-registry.url",
                stack.schemaRegistryUrl(),
                "--kafka.group-id",
                "it-job-jar-" + UUID.randomUUID(),
                "--job.parallelism",
                "1"),
            Files.createTempDirectory("qmon-job-jar-"),
            logs.resolve("job-jar.out"));

    publishRun();

    Map<String, MetricRecord> records = readMetrics(Duration.ofSeconds(180));
    Set<String> expected = new TreeSet<>();
    for (int epoch = 1; epoch <= EPOCHS; epoch++) {
      expected.add(RUN_ID + "/epoch/" + epoch);
    }
    assertEquals(expected, records.keySet(), "one metric record per epoch; job log: " + logs);
    for (MetricRecord record : records.values()) {
      double jsd = record.getMetrics().get("jsd");
      assertTrue(jsd >= 0 && jsd <= 1, "JSD in [0, 1] bits: " + jsd);
      assertEquals(QUBITS, record.getQubits());
    }
    job.checkAlive();
  }

  private static void publishRun() {
    try (QmonPublisher publisher =
        QmonPublisher.builder()
            .bootstrapServers(stack.bootstrapServers())
            .schemaRegistryUrl(stack.schemaRegistryUrl())
            .producerId("it-job-jar")
            .build()) {
      String targetId = TargetEvents.standardNormalId(QUBITS);
      publisher.publishTarget(TargetEvents.toEvent(targetId, Target.standardNormal(QUBITS)));
      RunPublisher run =
          publisher.startRun(
              RunStarted.newBuilder()
                  .setExperiment("it-job-jar")
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
              RUN_ID);
      for (int epoch = 1; epoch <= EPOCHS; epoch++) {
        run.publishEpoch(
            epoch, new long[] {2, 3, 4, 5}, new long[] {10 + epoch, 40, 40, 10 - epoch}, Map.of());
      }
      run.finish(RunStatus.SUCCEEDED, null);
      publisher.flush();
    }
  }

  /** Epoch records of the run by id, read until all arrived; fails early if the job JVM exits. */
  private static Map<String, MetricRecord> readMetrics(Duration timeout) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "it-job-jar-reader-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    ConfluentAvroSerde<MetricRecord> serde =
        new ConfluentAvroSerde<>(stack.schemaRegistry(), MetricRecord.SCHEMA$);
    Map<String, MetricRecord> records = new TreeMap<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(Topics.METRICS));
      while (records.size() < EPOCHS && System.nanoTime() < deadline) {
        job.checkAlive();
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          MetricRecord metric = serde.deserialize(record.value());
          if (metric.getScope() == MetricScope.EPOCH && metric.getRunId().equals(RUN_ID)) {
            records.put(metric.getRecordId(), metric);
          }
        }
      }
    }
    return records;
  }
}
