package io.qmon.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qmon.producers.sdk.QmonPublisher;
import io.qmon.producers.sdk.RunPublisher;
import io.qmon.schemas.DeadLetter;
import io.qmon.schemas.MetricRecord;
import io.qmon.schemas.MetricScope;
import io.qmon.schemas.RunStarted;
import io.qmon.schemas.RunStatus;
import io.qmon.schemas.ShotCounts;
import io.qmon.schemas.TargetDistribution;
import io.qmon.schemas.Topics;
import io.qmon.schemas.serde.ConfluentAvroSerde;
import io.qmon.stack.EmbeddedStack;
import io.qmon.stack.StackSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The spine end to end: events for several runs go through the real broker, registry and Flink job
 * (parallelism 2); the metric records are checked against values computed here from the
 * definitions, and every malformed event must reach the DLQ with its reason while the good ones are
 * all scored.
 */
class MonitoringPipelineIT {
  private static final String TARGET_3Q = "it-target-q3";
  private static final String LATE_TARGET_2Q = "it-late-target-q2";
  private static final double[] P3 = {0.5, 0.25, 0.125, 0.125, 0, 0, 0, 0};
  private static final double[] P2 = {0.25, 0.25, 0.25, 0.25};

  /** Dense counts per epoch of each good run; zeros are left out of the sparse events. */
  private static final Map<String, long[][]> RUNS =
      Map.of(
          "it-run-a",
          new long[][] {
            {100, 0, 0, 0, 0, 0, 0, 0},
            {50, 50, 0, 0, 0, 0, 0, 0},
            {40, 30, 10, 10, 5, 5, 0, 0},
            {50, 25, 13, 12, 0, 0, 0, 0},
            {0, 0, 0, 0, 25, 25, 25, 25}
          },
          "it-run-b",
          new long[][] {
            {12, 12, 12, 12, 13, 13, 13, 13},
            {1, 1, 1, 1, 1, 1, 1, 93},
            {60, 20, 10, 10, 0, 0, 0, 0}
          },
          "it-run-late-target",
          new long[][] {{25, 25, 25, 25}, {97, 1, 1, 1}});

  private static EmbeddedStack stack;

  @BeforeAll
  static void startStack() throws Exception {
    stack = EmbeddedStack.start(StackSettings.fromSystemProperties());
    stack.startMonitoringJob(
        stack.jobConfig(Map.of("job.parallelism", "2", "kafka.group-id", "it-pipeline")));
  }

  @AfterAll
  static void stopStack() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void shouldScoreEveryGoodEpochAndDeadLetterEveryBadEventWithItsReason() throws Exception {
    List<ExpectedLetter> expectedDeadLetters = new ArrayList<>();
    try (QmonPublisher publisher =
        QmonPublisher.builder()
            .bootstrapServers(stack.bootstrapServers())
            .schemaRegistryUrl(stack.schemaRegistryUrl())
            .producerId("it-producer")
            .build()) {
      publisher.publishTarget(target(TARGET_3Q, 3, P3));
      publishRun(publisher, "it-run-a", TARGET_3Q);
      publishRun(publisher, "it-run-b", TARGET_3Q);
      // This run's target arrives only after its epochs: they must wait in state, then be scored.
      publishRun(publisher, "it-run-late-target", LATE_TARGET_2Q);
      // Stay open, so an epoch over the wrong qubit count reaches the scorer.
      publisher.startRun(started(3, TARGET_3Q), "it-run-open");
      publisher.startRun(started(2, LATE_TARGET_2Q), "it-run-waiting");
      publisher.flush();
      expectedDeadLetters.add(publishEpochRefusedAfterWaiting());
      Thread.sleep(1000);
      publisher.publishTarget(target(LATE_TARGET_2Q, 2, P2));
    }
    expectedDeadLetters.addAll(publishMalformedEvents());

    int expectedMetrics = RUNS.values().stream().mapToInt(epochs -> epochs.length).sum();
    // Every epoch's and every close's record, by id: the job also emits other records (windows),
    // and each run's records travel on their own partition, so a count could be reached first.
    Set<String> expectedIds = new HashSet<>();
    RUNS.forEach(
        (run, epochs) -> {
          for (int e = 1; e <= epochs.length; e++) {
            expectedIds.add(run + "/epoch/" + e);
          }
          expectedIds.add(run + "/closed");
        });
    List<MetricRecord> metrics =
        TopicReader.readUntil(
            stack.bootstrapServers(),
            stack.schemaRegistry(),
            Topics.METRICS,
            MetricRecord.SCHEMA$,
            records ->
                records.stream()
                    .map(MetricRecord::getRecordId)
                    .collect(Collectors.toSet())
                    .containsAll(expectedIds),
            Duration.ofSeconds(120));
    Map<String, MetricRecord> byId = new HashMap<>();
    metrics.stream()
        .filter(m -> m.getScope() == MetricScope.EPOCH)
        .forEach(m -> byId.put(m.getRecordId(), m));
    assertEquals(
        expectedMetrics, byId.size(), "one metric record per good epoch: " + byId.keySet());
    for (var run : RUNS.entrySet()) {
      MetricRecord summary =
          metrics.stream()
              .filter(m -> m.getRecordId().equals(run.getKey() + "/closed"))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no run-closed record of " + run.getKey()));
      assertEquals(MetricScope.RUN_CLOSED, summary.getScope());
      assertEquals(run.getValue().length, summary.getMetrics().get("epochs_scored"), 0.0);
    }

    for (var run : RUNS.entrySet()) {
      double[] target = run.getKey().equals("it-run-late-target") ? P2 : P3;
      long[][] epochs = run.getValue();
      for (int e = 0; e < epochs.length; e++) {
        MetricRecord record = byId.get(run.getKey() + "/epoch/" + (e + 1));
        assertNotNull(record, "metric record of " + run.getKey() + " epoch " + (e + 1));
        double[] q = ReferenceMath.normalise(toDoubles(epochs[e]));
        Map<String, Double> values = record.getMetrics();
        String where = run.getKey() + " epoch " + (e + 1);
        assertEquals(ReferenceMath.jsdBits(target, q), values.get("jsd"), 1e-12, "jsd of " + where);
        assertEquals(
            ReferenceMath.fidelity(target, q),
            values.get("fidelity"),
            1e-12,
            "fidelity of " + where);
        assertEquals(
            ReferenceMath.entropyBits(q), values.get("entropy_bits"), 1e-12, "entropy of " + where);
        assertEquals(MetricScope.EPOCH, record.getScope());
        assertEquals(100, record.getShots());
      }
    }
    assertEquals(
        1.0, byId.get("it-run-a/epoch/5").getMetrics().get("jsd"), 1e-12, "disjoint supports");
    assertEquals(0.0, byId.get("it-run-a/epoch/5").getMetrics().get("fidelity"), 1e-12);

    List<DeadLetter> letters =
        TopicReader.readUntil(
            stack.bootstrapServers(),
            stack.schemaRegistry(),
            Topics.DLQ,
            DeadLetter.SCHEMA$,
            records -> records.size() >= expectedDeadLetters.size(),
            Duration.ofSeconds(60));
    // Every letter names the topic, partition and offset its event was written to, also one whose
    // epoch waited in its run's pending list until the target refused it.
    Map<String, List<DeadLetter>> byPosition =
        letters.stream()
            .collect(
                Collectors.groupingBy(
                    letter ->
                        letter.getSourceTopic()
                            + "/"
                            + letter.getSourcePartition()
                            + "/"
                            + letter.getSourceOffset()));
    assertEquals(
        expectedDeadLetters.stream().map(ExpectedLetter::position).collect(Collectors.toSet()),
        byPosition.keySet(),
        "dead letters by source position: " + letters);
    for (ExpectedLetter expected : expectedDeadLetters) {
      for (DeadLetter letter : byPosition.get(expected.position())) {
        assertEquals(expected.errorType(), letter.getErrorType(), letter.toString());
        assertTrue(
            letter.getReason().contains(expected.reason()),
            expected.errorType() + " reason was: " + letter.getReason());
      }
    }
  }

  private static void publishRun(QmonPublisher publisher, String runId, String targetId) {
    long[][] epochs = RUNS.get(runId);
    int qubits = Integer.numberOfTrailingZeros(epochs[0].length);
    RunPublisher run = publisher.startRun(started(qubits, targetId), runId);
    for (int e = 0; e < epochs.length; e++) {
      List<Long> outcomes = new ArrayList<>();
      List<Long> counts = new ArrayList<>();
      for (int x = 0; x < epochs[e].length; x++) {
        if (epochs[e][x] > 0) {
          outcomes.add((long) x);
          counts.add(epochs[e][x]);
        }
      }
      run.publishEpoch(
          e + 1,
          outcomes.stream().mapToLong(Long::longValue).toArray(),
          counts.stream().mapToLong(Long::longValue).toArray(),
          Map.of("loss", 1.0 / (e + 1)));
    }
    run.finish(RunStatus.SUCCEEDED, null);
  }

  /** The dead letter a malformed shot event must become: type, reason fragment, position. */
  private record ExpectedLetter(String errorType, String reason, int partition, long offset) {
    String position() {
      return Topics.SHOTS + "/" + partition + "/" + offset;
    }
  }

  /**
   * A 3-qubit epoch of run it-run-waiting, whose target (2 qubits) is published a second later: it
   * waits in the run's pending list until the target refuses it (or, if the job reads the target
   * first, is refused at once); either way its dead letter is the same.
   */
  private static ExpectedLetter publishEpochRefusedAfterWaiting() throws Exception {
    ConfluentAvroSerde<ShotCounts> serde =
        new ConfluentAvroSerde<>(stack.schemaRegistry(), ShotCounts.SCHEMA$);
    ShotCounts threeQubits = shots("it-run-waiting", 3, 100, List.of(7L), List.of(100L));
    try (KafkaProducer<byte[], byte[]> producer = rawProducer()) {
      return publishFault(
          producer,
          "it-run-waiting",
          serde.serialize(Topics.SHOTS, threeQubits),
          "QUBITS_MISMATCH",
          "qubits 3 does not match target it-late-target-q2 over 2 qubits");
    }
  }

  /** Sends one event of each kind of fault; returns the dead letters they must become. */
  private static List<ExpectedLetter> publishMalformedEvents() throws Exception {
    ConfluentAvroSerde<ShotCounts> serde =
        new ConfluentAvroSerde<>(stack.schemaRegistry(), ShotCounts.SCHEMA$);
    ShotCounts nanLoss = shots("it-bad-4", 3, 100, List.of(0L), List.of(100L));
    nanLoss.setLosses(Map.of("generator", Double.NaN));
    // Consistent on its own, but the open run and its target are over 3 qubits.
    ShotCounts wrongQubits = shots("it-run-open", 4, 100, List.of(15L), List.of(100L));
    try (KafkaProducer<byte[], byte[]> producer = rawProducer()) {
      return List.of(
          publishFault(
              producer,
              "it-run-a",
              "not avro at all".getBytes(StandardCharsets.UTF_8),
              "UNREADABLE",
              "magic byte"),
          publishFault(
              producer,
              "it-run-a",
              new byte[] {0, 0x7f, 0, 0, 1, 2, 4},
              "UNKNOWN_SCHEMA",
              "unknown to the registry"),
          publishFault(
              producer,
              "it-run-a",
              serde.serialize(
                  Topics.SHOTS, shots("it-bad-1", 3, 100, List.of(0L, 1L), List.of(50L, 49L))),
              "COUNTS_NOT_SUMMING_TO_SHOTS",
              "counts sum to 99 but shots is 100"),
          publishFault(
              producer,
              "it-run-a",
              serde.serialize(
                  Topics.SHOTS, shots("it-bad-2", 3, 100, List.of(0L, 1L), List.of(101L, -1L))),
              "NEGATIVE_COUNT",
              "counts[1] = -1"),
          publishFault(
              producer,
              "it-run-a",
              serde.serialize(
                  Topics.SHOTS, shots("it-bad-3", 3, 100, List.of(0L, 8L), List.of(50L, 50L))),
              "OUTCOME_OUT_OF_RANGE",
              "outcomes[1] = 8 does not fit in 3 qubits"),
          publishFault(
              producer,
              "it-run-a",
              serde.serialize(Topics.SHOTS, nanLoss),
              "NON_FINITE_LOSS",
              "losses[generator] = NaN"),
          publishFault(
              producer,
              "it-run-a",
              serde.serialize(Topics.SHOTS, wrongQubits),
              "QUBITS_MISMATCH",
              "qubits 4 does not match target it-target-q3 over 3 qubits"));
    }
  }

  private static KafkaProducer<byte[], byte[]> rawProducer() {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** Writes raw bytes to the shots topic and waits for the broker to say where they went. */
  private static ExpectedLetter publishFault(
      KafkaProducer<byte[], byte[]> producer,
      String key,
      byte[] value,
      String errorType,
      String reason)
      throws Exception {
    RecordMetadata written =
        producer
            .send(new ProducerRecord<>(Topics.SHOTS, key.getBytes(StandardCharsets.UTF_8), value))
            .get();
    return new ExpectedLetter(errorType, reason, written.partition(), written.offset());
  }

  private static ShotCounts shots(
      String runId, int qubits, long shots, List<Long> outcomes, List<Long> counts) {
    return ShotCounts.newBuilder()
        .setRunId(runId)
        .setProducerId("it-faulty")
        .setSeq(0)
        .setEpoch(1)
        .setEventTime(Instant.now())
        .setQubits(qubits)
        .setShots(shots)
        .setOutcomes(outcomes)
        .setCounts(counts)
        .build();
  }

  private static RunStarted started(int qubits, String targetId) {
    return RunStarted.newBuilder()
        .setExperiment("it")
        .setModelType("born_machine")
        .setAnsatz("real_amplitudes")
        .setRepetitions(1)
        .setQubits(qubits)
        .setShots(100)
        .setBackend("hand-written")
        .setOptimizer("none")
        .setSeed(0)
        .setTargetId(targetId)
        .build();
  }

  private static TargetDistribution target(String id, int qubits, double[] p) {
    List<Long> outcomes = new ArrayList<>();
    List<Double> probabilities = new ArrayList<>();
    for (int x = 0; x < p.length; x++) {
      if (p[x] > 0) {
        outcomes.add((long) x);
        probabilities.add(p[x]);
      }
    }
    return TargetDistribution.newBuilder()
        .setTargetId(id)
        .setQubits(qubits)
        .setDescription("hand-written")
        .setOutcomes(outcomes)
        .setProbabilities(probabilities)
        .setUpdatedTime(Instant.now())
        .build();
  }

  private static double[] toDoubles(long[] counts) {
    double[] out = new double[counts.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = counts[i];
    }
    return out;
  }
}
