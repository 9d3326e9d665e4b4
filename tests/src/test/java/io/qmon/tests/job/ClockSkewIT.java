package io.qmon.tests.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qmon.schemas.DeadLetter;
import io.qmon.schemas.MetricRecord;
import io.qmon.schemas.MetricScope;
import io.qmon.schemas.RunEvent;
import io.qmon.schemas.RunFinished;
import io.qmon.schemas.RunStarted;
import io.qmon.schemas.RunStatus;
import io.qmon.schemas.ShotCounts;
import io.qmon.schemas.TargetDistribution;
import io.qmon.schemas.Topics;
import io.qmon.schemas.serde.ConfluentAvroSerde;
import io.qmon.stack.EmbeddedStack;
import io.qmon.stack.StackSettings;
import io.qmon.tests.TopicReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 11's clock-skew case on the real broker, registry and Flink job (parallelism 2): producers
 * whose clocks run ten minutes ahead are dead-lettered as FUTURE_EVENT_TIME and move no clock, so
 * eight healthy runs published afterwards are all scored (the shared watermark used to make half of
 * them LATE_EVENT), and a run whose producer clock is ten minutes behind is scored too.
 */
class ClockSkewIT {
  private static final String TARGET = "skew-target-q2";
  private static final long TEN_MINUTES = 600_000;
  private static final int HEALTHY_RUNS = 8;
  private static final int EPOCHS = 10;

  private static EmbeddedStack stack;
  private static KafkaProducer<byte[], byte[]> producer;
  private static ConfluentAvroSerde<RunEvent> runs;
  private static ConfluentAvroSerde<ShotCounts> shots;
  private static ConfluentAvroSerde<TargetDistribution> targets;

  @BeforeAll
  static void startStack() throws Exception {
    stack = EmbeddedStack.start(StackSettings.fromSystemProperties());
    stack.startMonitoringJob(
        stack.jobConfig(Map.of("job.parallelism", "2", "kafka.group-id", "it-clock-skew")));
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    runs = new ConfluentAvroSerde<>(stack.schemaRegistry(), RunEvent.SCHEMA$);
    shots = new ConfluentAvroSerde<>(stack.schemaRegistry(), ShotCounts.SCHEMA$);
    targets = new ConfluentAvroSerde<>(stack.schemaRegistry(), TargetDistribution.SCHEMA$);
  }

  @AfterAll
  static void stopStack() {
    if (producer != null) {
      producer.close();
    }
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void shouldScoreEveryHealthyRunAfterProducersWithClocksTenMinutesAheadOrBehind()
      throws Exception {
    send(
        Topics.TARGETS,
        TARGET,
        targets.serialize(
            Topics.TARGETS,
            TargetDistribution.newBuilder()
                .setTargetId(TARGET)
                .setQubits(2)
                .setDescription("uniform")
                .setOutcomes(List.of(0L, 1L, 2L, 3L))
                .setProbabilities(List.of(0.25, 0.25, 0.25, 0.25))
                .setUpdatedTime(Instant.now())
                .build()));

    // One fast producer publishes a run start and an epoch; both must be refused before anything
    // else happens, so the healthy runs below come after it.
    publishRun("skew-fast-1", "fast-1", TEN_MINUTES, 1, false);
    awaitDeadLetters("skew-fast-1", 2);

    publishRun("skew-fast-2", "fast-2", TEN_MINUTES, 1, false);
    awaitDeadLetters("skew-fast-2", 2);

    for (int r = 0; r < HEALTHY_RUNS; r++) {
      publishRun("skew-healthy-" + r, "healthy-" + r, 0, EPOCHS, true);
    }
    publishRun("skew-slow", "slow", -TEN_MINUTES, EPOCHS, true);

    int expected = (HEALTHY_RUNS + 1) * EPOCHS;
    List<MetricRecord> metrics =
        readUntil(
            Topics.METRICS,
            MetricRecord.SCHEMA$,
            (List<MetricRecord> records) -> epochIds(records).size() >= expected,
            Duration.ofSeconds(120));
    Set<String> scored = epochIds(metrics);
    for (int r = 0; r < HEALTHY_RUNS; r++) {
      for (int e = 1; e <= EPOCHS; e++) {
        assertTrue(scored.contains("skew-healthy-" + r + "/epoch/" + e), "healthy run " + r);
      }
    }
    for (int e = 1; e <= EPOCHS; e++) {
      assertTrue(scored.contains("skew-slow/epoch/" + e), "slow run epoch " + e + ": " + scored);
    }
    assertEquals(expected, scored.size(), "80 healthy and 10 slow epochs, no fast one: " + scored);

    List<DeadLetter> letters =
        readUntil(
            Topics.DLQ, DeadLetter.SCHEMA$, (List<DeadLetter> l) -> false, Duration.ofSeconds(3));
    Map<String, List<String>> typesByRun =
        letters.stream()
            .collect(
                Collectors.groupingBy(
                    l -> String.valueOf(l.getRunId()),
                    Collectors.mapping(DeadLetter::getErrorType, Collectors.toList())));
    assertEquals(
        Set.of("skew-fast-1", "skew-fast-2"),
        typesByRun.keySet(),
        "only the fast producers' events are dead letters: " + typesByRun);
    for (DeadLetter letter : letters) {
      assertEquals("FUTURE_EVENT_TIME", letter.getErrorType(), letter.getReason());
      assertTrue(letter.getReason().contains("ms ahead of the job's clock"), letter.getReason());
    }
  }

  /**
   * Publishes a run start, {@code epochs} uniform epochs and (if asked) the finish, every event
   * stamped {@code offsetMs} away from this machine's clock, as a producer with that clock would.
   */
  private static void publishRun(
      String runId, String producerId, long offsetMs, int epochs, boolean finish) {
    String session = UUID.randomUUID().toString();
    long seq = 0;
    send(
        Topics.RUNS,
        runId,
        runs.serialize(
            Topics.RUNS, runEvent(runId, producerId, session, seq++, offsetMs, started())));
    for (int e = 1; e <= epochs; e++) {
      ShotCounts epoch =
          ShotCounts.newBuilder()
              .setRunId(runId)
              .setProducerId(producerId)
              .setProducerSession(session)
              .setSeq(seq++)
              .setEpoch(e)
              .setEventTime(Instant.now().plusMillis(offsetMs))
              .setQubits(2)
              .setShots(100)
              .setOutcomes(List.of(0L, 1L, 2L, 3L))
              .setCounts(List.of(25L, 25L, 25L, 25L))
              .build();
      send(Topics.SHOTS, runId, shots.serialize(Topics.SHOTS, epoch));
    }
    if (finish) {
      RunFinished end =
          RunFinished.newBuilder().setStatus(RunStatus.SUCCEEDED).setEpochs(epochs).build();
      send(
          Topics.RUNS,
          runId,
          runs.serialize(Topics.RUNS, runEvent(runId, producerId, session, seq, offsetMs, end)));
    }
    producer.flush();
  }

  private static RunEvent runEvent(
      String runId, String producerId, String session, long seq, long offsetMs, Object payload) {
    return RunEvent.newBuilder()
        .setRunId(runId)
        .setProducerId(producerId)
        .setProducerSession(session)
        .setSeq(seq)
        .setEventTime(Instant.now().plusMillis(offsetMs))
        .setPayload(payload)
        .build();
  }

  private static RunStarted started() {
    return RunStarted.newBuilder()
        .setExperiment("it-clock-skew")
        .setModelType("born_machine")
        .setAnsatz("real_amplitudes")
        .setRepetitions(1)
        .setQubits(2)
        .setShots(100)
        .setBackend("hand-written")
        .setOptimizer("none")
        .setSeed(0)
        .setTargetId(TARGET)
        .build();
  }

  private static void send(String topic, String key, byte[] value) {
    producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value));
  }

  private static void awaitDeadLetters(String runId, int count) {
    List<DeadLetter> letters =
        readUntil(
            Topics.DLQ,
            DeadLetter.SCHEMA$,
            (List<DeadLetter> l) ->
                l.stream().filter(d -> runId.equals(d.getRunId())).count() >= count,
            Duration.ofSeconds(120));
    List<String> types =
        letters.stream()
            .filter(d -> runId.equals(d.getRunId()))
            .map(DeadLetter::getErrorType)
            .toList();
    assertEquals(List.of("FUTURE_EVENT_TIME", "FUTURE_EVENT_TIME"), types, runId);
  }

  private static Set<String> epochIds(List<MetricRecord> records) {
    return records.stream()
        .filter(m -> m.getScope() == MetricScope.EPOCH)
        .map(MetricRecord::getRecordId)
        .collect(Collectors.toSet());
  }

  private static <T extends SpecificRecord> List<T> readUntil(
      String topic, Schema schema, Predicate<List<T>> done, Duration timeout) {
    return TopicReader.readUntil(
        stack.bootstrapServers(), stack.schemaRegistry(), topic, schema, done, timeout);
  }
}
