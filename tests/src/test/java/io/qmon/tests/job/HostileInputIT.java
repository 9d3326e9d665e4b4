package io.qmon.tests.job;

import static io.qmon.tests.job.HostileRecords.avroString;
import static io.qmon.tests.job.HostileRecords.frame;
import static io.qmon.tests.job.HostileRecords.utf8;
import static io.qmon.tests.job.HostileRecords.varint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qmon.jobs.MonitoringJob;
import io.qmon.jobs.config.JobConfig;
import io.qmon.producers.sdk.QmonPublisher;
import io.qmon.producers.sdk.RunPublisher;
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
import io.qmon.schemas.serde.SchemaRegistry;
import io.qmon.stack.EmbeddedStack;
import io.qmon.stack.StackSettings;
import io.qmon.tests.TopicReader;
import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The hostile-input corpus (issue 11): interleaved with the good epochs of several runs, more than
 * thirty kinds of malformed or hostile records reach the real job (broker, registry, MiniCluster at
 * parallelism 2) as raw bytes through a plain Kafka producer. Each must land on {@code qgm.dlq}
 * with its expected {@code error_type} and a reason naming the field, found by its exact source
 * position; every good epoch must be scored exactly once; and the job's exception history, read
 * from the MiniCluster's REST API, must stay empty: no bad input restarts the job.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileInputIT {
  private static final String TARGET = "hostile-it-target";
  private static final double[] P = {0.5, 0.25, 0.125, 0.125};
  private static final int GOOD_EPOCHS = 6;
  private static final List<String> GOOD_RUNS =
      List.of("hostile-good-a", "hostile-good-b", "hostile-good-c");
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * A good run of 10^12 shots per epoch: scoring must not simulate its noise floors shot by shot
   * (2,000 × 10^12 draws), so it is scored like the others.
   */
  private static final String HUGE_RUN = "hostile-good-huge-shots";

  private static final long HUGE_SHOTS = 1_000_000_000_000L;

  /** Started and never finished, so an event of the wrong qubit count reaches the scorer. */
  private static final String OPEN_RUN = "hostile-open";

  private static EmbeddedStack stack;
  private static JobClient job;
  private static String restUrl;
  private static ConfluentAvroSerde<ShotCounts> shotsSerde;
  private static ConfluentAvroSerde<RunEvent> runsSerde;
  private static ConfluentAvroSerde<TargetDistribution> targetsSerde;

  /** One hostile record: what it is, where it went, and what its dead letter must say. */
  private record Case(String name, String errorType, String reasonFragment) {}

  @BeforeAll
  static void startStackAndJob() throws Exception {
    stack = EmbeddedStack.start(StackSettings.fromSystemProperties());
    int restPort = freePort();
    restUrl = "http://127.0.0.1:" + restPort;
    JobConfig config =
        stack.jobConfig(Map.of("job.parallelism", "2", "kafka.group-id", "hostile-it"));
    // The stack's own MiniCluster, with its REST endpoint on a known loopback port so the test can
    // read the job's exception history.
    Configuration flink = new Configuration();
    flink.set(TaskManagerOptions.NUM_TASK_SLOTS, config.parallelism());
    flink.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
    flink.set(RestOptions.ADDRESS, "127.0.0.1");
    flink.set(RestOptions.BIND_PORT, Integer.toString(restPort));
    flink.set(RestOptions.PORT, restPort);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(flink);
    new MonitoringJob(config).build(env);
    job = env.executeAsync(MonitoringJob.NAME);
    SchemaRegistry registry = stack.schemaRegistry();
    shotsSerde = new ConfluentAvroSerde<>(registry, ShotCounts.SCHEMA$);
    runsSerde = new ConfluentAvroSerde<>(registry, RunEvent.SCHEMA$);
    targetsSerde = new ConfluentAvroSerde<>(registry, TargetDistribution.SCHEMA$);
  }

  @AfterAll
  static void stop() throws Exception {
    if (job != null) {
      job.cancel().get();
    }
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  @Order(1)
  void shouldDeadLetterEveryHostileRecordAndScoreEveryGoodEpochWithoutARestart() throws Exception {
    Map<String, Case> expected = new LinkedHashMap<>();
    try (QmonPublisher publisher =
            QmonPublisher.builder()
                .bootstrapServers(stack.bootstrapServers())
                .schemaRegistryUrl(stack.schemaRegistryUrl())
                .producerId("hostile-it-good")
                .build();
        KafkaProducer<byte[], byte[]> raw = rawProducer()) {
      publisher.publishTarget(
          target(TARGET, 2, List.of(0L, 1L, 2L, 3L), List.of(P[0], P[1], P[2], P[3])));
      List<RunPublisher> runs = new ArrayList<>();
      for (String runId : GOOD_RUNS) {
        runs.add(publisher.startRun(started(2, TARGET, "hostile-it"), runId));
      }
      RunStarted hugeStart = started(2, TARGET, "hostile-it");
      hugeStart.setShots(HUGE_SHOTS);
      RunPublisher huge = publisher.startRun(hugeStart, HUGE_RUN);
      publisher.startRun(started(2, TARGET, "hostile-it"), OPEN_RUN);
      List<Consumer<KafkaProducer<byte[], byte[]>>> batches = hostileBatches(expected);
      for (int e = 1; e <= GOOD_EPOCHS; e++) {
        for (RunPublisher run : runs) {
          run.publishEpoch(
              e, new long[] {0, 1, 2, 3}, new long[] {50, 25, 13, 12}, Map.of("g", 0.1 * e));
        }
        long unit = HUGE_SHOTS / 100;
        huge.publishEpoch(
            e,
            new long[] {0, 1, 2, 3},
            new long[] {50 * unit, 25 * unit, 13 * unit, 12 * unit},
            Map.of());
        publisher.flush();
        // Hostile records between the good epochs, in a few batches.
        if (e - 1 < batches.size()) {
          batches.get(e - 1).accept(raw);
          raw.flush();
        }
      }
      for (int b = GOOD_EPOCHS; b < batches.size(); b++) {
        batches.get(b).accept(raw);
      }
      raw.flush();
      for (RunPublisher run : runs) {
        run.finish(RunStatus.SUCCEEDED, null);
      }
      huge.finish(RunStatus.SUCCEEDED, null);
      publisher.flush();
    }
    assertTrue(expected.size() >= 30, "at least 30 kinds of hostile record: " + expected.size());

    Map<String, MetricRecord> epochs = readEpochRecords((GOOD_RUNS.size() + 1) * GOOD_EPOCHS);
    for (String runId : concat(GOOD_RUNS, HUGE_RUN)) {
      for (int e = 1; e <= GOOD_EPOCHS; e++) {
        assertTrue(
            epochs.containsKey(runId + "/epoch/" + e), runId + " epoch " + e + " was scored");
      }
    }
    // JSD of Q = (50, 25, 13, 12)/100 against P, from the definition in bits.
    double[] q = {0.50, 0.25, 0.13, 0.12};
    double jsd = 0;
    for (int i = 0; i < 4; i++) {
      double m = 0.5 * (P[i] + q[i]);
      jsd +=
          0.5 * P[i] * Math.log(P[i] / m) / Math.log(2)
              + 0.5 * q[i] * Math.log(q[i] / m) / Math.log(2);
    }
    assertEquals(jsd, epochs.get("hostile-good-b/epoch/3").getMetrics().get("jsd"), 1e-12);
    MetricRecord hugeEpoch = epochs.get(HUGE_RUN + "/epoch/3");
    assertEquals(jsd, hugeEpoch.getMetrics().get("jsd"), 1e-12);
    assertEquals(HUGE_SHOTS, hugeEpoch.getShots());
    // Every expected count is large: the chi-square floor, (k − 1)/(8 N ln 2) bits.
    assertEquals(
        3 / (8 * (double) HUGE_SHOTS * Math.log(2)),
        hugeEpoch.getNoiseFloors().get("jsd_expected"),
        1e-24);

    Map<String, DeadLetter> letters = readDeadLetters(expected.keySet(), Duration.ofSeconds(120));
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, Case> c : expected.entrySet()) {
      DeadLetter letter = letters.get(c.getKey());
      Case want = c.getValue();
      if (letter == null) {
        problems.add(want.name() + ": no dead letter at " + c.getKey());
      } else if (!letter.getErrorType().equals(want.errorType())
          || !letter.getReason().contains(want.reasonFragment())) {
        problems.add(
            want.name()
                + ": expected "
                + want.errorType()
                + " with \""
                + want.reasonFragment()
                + "\", got "
                + letter.getErrorType()
                + ": "
                + letter.getReason());
      }
    }
    assertEquals(List.of(), problems, "hostile records without their dead letter");
    for (DeadLetter letter : letters.values()) {
      assertTrue(
          letter.getValue() == null || letter.getValue().remaining() <= 64 * 1024,
          "dead letter value capped at 64 KiB");
    }
    assertNoRestart();
  }

  /**
   * The cases that depend on the job's per-run time handling (issue 11 item 1, the job core's
   * rewrite): an event stamped in the future is dead-lettered as FUTURE_EVENT_TIME and moves no
   * clock, and a run whose producer's clock is ten minutes behind is still scored in its own order
   * while other runs go on.
   */
  @Test
  @Order(2)
  void shouldKeepOtherRunsScoredWhenOneProducerClockIsWrong() throws Exception {
    Map<String, Case> expected = new LinkedHashMap<>();
    long now = Instant.now().toEpochMilli();
    try (KafkaProducer<byte[], byte[]> raw = rawProducer();
        QmonPublisher publisher =
            QmonPublisher.builder()
                .bootstrapServers(stack.bootstrapServers())
                .schemaRegistryUrl(stack.schemaRegistryUrl())
                .producerId("hostile-it-skew")
                .build()) {
      ShotCounts future = shots("skew-fast", 1, List.of(0L, 3L), List.of(50L, 50L));
      future.setEventTime(Instant.ofEpochMilli(now + 600_000));
      send(
          raw,
          expected,
          Topics.SHOTS,
          "skew-fast",
          shotsSerde.serialize(Topics.SHOTS, future),
          new Case("event_time ten minutes ahead", "FUTURE_EVENT_TIME", "event_time"));
      raw.flush();
      // A run whose producer's clock is constantly ten minutes behind everyone else's.
      String slow = "skew-slow";
      RunEvent start = runEvent(slow, 0, now - 600_000, started(2, TARGET, "skew"));
      raw.send(
              new ProducerRecord<>(
                  Topics.RUNS, utf8(slow), runsSerde.serialize(Topics.RUNS, start)))
          .get();
      for (int e = 1; e <= 3; e++) {
        ShotCounts behind = shots(slow, e, List.of(0L, 1L, 2L, 3L), List.of(50L, 25L, 13L, 12L));
        behind.setSeq(e);
        behind.setProducerId("skew-slow-producer");
        behind.setEventTime(Instant.ofEpochMilli(now - 600_000 + e * 1000L));
        raw.send(
                new ProducerRecord<>(
                    Topics.SHOTS, utf8(slow), shotsSerde.serialize(Topics.SHOTS, behind)))
            .get();
      }
      RunPublisher healthy = publisher.startRun(started(2, TARGET, "skew"), "skew-healthy");
      for (int e = 1; e <= 5; e++) {
        healthy.publishEpoch(e, new long[] {0, 1, 2, 3}, new long[] {50, 25, 13, 12}, Map.of());
      }
      healthy.finish(RunStatus.SUCCEEDED, null);
      publisher.flush();
    }
    Map<String, MetricRecord> epochs = readEpochRecords((GOOD_RUNS.size() + 1) * GOOD_EPOCHS + 8);
    List<String> missing = new ArrayList<>();
    for (int e = 1; e <= 5; e++) {
      if (!epochs.containsKey("skew-healthy/epoch/" + e)) {
        missing.add("skew-healthy/epoch/" + e);
      }
    }
    for (int e = 1; e <= 3; e++) {
      if (!epochs.containsKey("skew-slow/epoch/" + e)) {
        missing.add("skew-slow/epoch/" + e);
      }
    }
    Map<String, DeadLetter> letters = readDeadLetters(expected.keySet(), Duration.ofSeconds(30));
    DeadLetter future = letters.values().stream().findFirst().orElse(null);
    List<String> problems = new ArrayList<>();
    if (!missing.isEmpty()) {
      problems.add("not scored next to a producer with a wrong clock: " + missing);
    }
    if (future == null || !future.getErrorType().equals("FUTURE_EVENT_TIME")) {
      problems.add(
          "the future event's dead letter: "
              + (future == null ? "none" : future.getErrorType() + ": " + future.getReason()));
    }
    List<DeadLetter> late =
        TopicReader.readUntil(
            stack.bootstrapServers(),
            stack.schemaRegistry(),
            Topics.DLQ,
            DeadLetter.SCHEMA$,
            (List<DeadLetter> all) -> false,
            Duration.ofSeconds(5));
    late.stream()
        .filter(l -> l.getRunId() != null && l.getRunId().startsWith("skew-"))
        .filter(l -> !l.getRunId().equals("skew-fast"))
        .forEach(
            l ->
                problems.add(
                    l.getRunId() + " dead-lettered: " + l.getErrorType() + ": " + l.getReason()));
    assertEquals(List.of(), problems, "one producer's clock disturbed other runs");
    assertNoRestart();
  }

  // ---- the corpus ----

  /** The hostile records in batches, each sent between good epochs; fills {@code expected}. */
  private static List<Consumer<KafkaProducer<byte[], byte[]>>> hostileBatches(
      Map<String, Case> expected) {
    int shotsId = shotsSerde.schemaId(Topics.SHOTS);
    ShotCounts template = shots("hostile-x", 1, List.of(0L, 3L), List.of(60L, 40L));
    byte[] good = shotsSerde.serialize(Topics.SHOTS, template);
    List<Consumer<KafkaProducer<byte[], byte[]>>> batches = new ArrayList<>();

    // Bytes that do not decode.
    batches.add(
        p -> {
          send(
              p,
              expected,
              Topics.SHOTS,
              "hostile-x",
              utf8("not avro at all"),
              new Case("bad magic byte", "UNREADABLE", "magic byte"));
          send(
              p,
              expected,
              Topics.SHOTS,
              "hostile-x",
              new byte[] {0, 0},
              new Case("shorter than the header", "UNREADABLE", "5-byte Confluent header"));
          send(
              p,
              expected,
              Topics.SHOTS,
              "hostile-x",
              null,
              new Case("tombstone", "UNREADABLE", "tombstone"));
          send(
              p,
              expected,
              Topics.SHOTS,
              "hostile-x",
              frame(0x7f000001, new byte[] {2, 4}),
              new Case("unknown schema id", "UNKNOWN_SCHEMA", "unknown to the registry"));
          send(
              p,
              expected,
              Topics.SHOTS,
              "hostile-x",
              Arrays.copyOf(good, good.length - 3),
              new Case("truncated Avro", "UNREADABLE", "does not decode with schema id"));
          send(
              p,
              expected,
              Topics.SHOTS,
              "hostile-x",
              frame(
                  shotsId,
                  good.length > 5 ? Arrays.copyOfRange(good, 5, good.length) : good,
                  new byte[] {9, 9}),
              new Case("trailing bytes", "UNREADABLE", "Trailing bytes"));
          send(
              p,
              expected,
              Topics.SHOTS,
              "hostile-x",
              frame(shotsId, varint(1L << 30), new byte[] {1, 2}),
              new Case(
                  "12-byte record declaring a 1 GiB run_id",
                  "UNREADABLE",
                  "org.apache.avro.limits.string.maxLength"));
          send(
              p,
              expected,
              Topics.SHOTS,
              "hostile-x",
              frame(shotsId, arrayBomb()),
              new Case(
                  "a billion outcomes declared",
                  "UNREADABLE",
                  "org.apache.avro.limits.collectionItems.maxLength"));
          send(
              p,
              expected,
              Topics.SHOTS,
              "hostile-x",
              frame(shotsId, varint(-7)),
              new Case("negative string length", "UNREADABLE", "does not decode with schema id"));
          send(
              p,
              expected,
              Topics.SHOTS,
              "hostile-x",
              frame(shotsId, avroString("r"), avroString("p"), varint(0), varint(7)),
              new Case("union index out of range", "UNREADABLE", "does not decode with schema id"));
          send(
              p,
              expected,
              Topics.SHOTS,
              "hostile-x",
              targetsSerde.serialize(Topics.TARGETS, target("t", 1, List.of(0L), List.of(1.0))),
              new Case(
                  "a target on the shots topic",
                  "WRONG_SCHEMA",
                  "expected io.qmon.schemas.ShotCounts"));
        });

    // Shot events that decode but make no sense.
    batches.add(
        p -> {
          shot(p, expected, s -> s.setRunId(""), "MISSING_RUN_ID", "run_id is empty");
          shot(
              p,
              expected,
              s -> s.setProducerId(" "),
              "MISSING_PRODUCER_ID",
              "producer_id is empty");
          shot(p, expected, s -> s.setSeq(-1), "INVALID_SEQ", "seq -1 is negative");
          shot(p, expected, s -> s.setEpoch(-1), "INVALID_EPOCH", "epoch -1 is negative");
          shot(
              p,
              expected,
              s -> s.setEpoch(Integer.MAX_VALUE),
              "INVALID_EPOCH",
              "epoch 2147483647 is above");
          shot(
              p,
              expected,
              s -> s.setEventTime(Instant.ofEpochMilli(Long.MIN_VALUE)),
              "INVALID_EVENT_TIME",
              "event_time -9223372036854775808 ms is outside");
          shot(
              p,
              expected,
              s -> s.setEventTime(Instant.EPOCH),
              "INVALID_EVENT_TIME",
              "event_time 0 ms is outside");
          shot(p, expected, s -> s.setQubits(64), "INVALID_QUBITS", "qubits 64 is outside");
          shot(p, expected, s -> s.setShots(0), "INVALID_SHOTS", "shots 0 must be > 0");
        });
    batches.add(
        p -> {
          shot(
              p,
              expected,
              s -> s.setShots(10_000_000_000_000L),
              "INVALID_SHOTS",
              "shots 10000000000000 is above");
          shot(
              p,
              expected,
              s -> {
                s.setShots(100);
                s.setCounts(List.of(Long.MAX_VALUE, 100L));
              },
              "INVALID_COUNTS",
              "counts overflow a 64-bit sum at counts[1]");
          shot(
              p,
              expected,
              s -> s.setCounts(List.of(100L)),
              "INVALID_COUNTS",
              "outcomes has 2 entries but counts has 1");
          shot(
              p,
              expected,
              s -> s.setCounts(List.of(101L, -1L)),
              "NEGATIVE_COUNT",
              "counts[1] = -1");
          shot(
              p,
              expected,
              s -> s.setCounts(List.of(50L, 49L)),
              "COUNTS_NOT_SUMMING_TO_SHOTS",
              "counts sum to 99 but shots is 100");
          shot(
              p,
              expected,
              s -> s.setOutcomes(List.of(0L, 4L)),
              "OUTCOME_OUT_OF_RANGE",
              "outcomes[1] = 4 does not fit in 2 qubits");
          shot(
              p,
              expected,
              s -> s.setOutcomes(List.of(3L, 3L)),
              "DUPLICATE_OUTCOME",
              "outcomes[1]: 3 repeats outcomes[0]");
          shot(
              p,
              expected,
              s -> {
                s.setShots(2);
                s.setOutcomes(List.of(0L, 1L, 2L));
                s.setCounts(List.of(1L, 1L, 0L));
              },
              "TOO_MANY_ENTRIES",
              "outcomes has 3 entries");
        });
    batches.add(
        p -> {
          shot(
              p,
              expected,
              s -> s.setLosses(Map.of("generator", Double.NaN)),
              "NON_FINITE_LOSS",
              "losses[generator] = NaN");
          shot(
              p,
              expected,
              s -> s.setLosses(Map.of("generator", Double.POSITIVE_INFINITY)),
              "NON_FINITE_LOSS",
              "losses[generator] = Infinity");
          shot(
              p,
              expected,
              s -> s.setLosses(manyLosses()),
              "TOO_MANY_ENTRIES",
              "losses has 33 entries");
          shot(
              p,
              expected,
              s -> s.setLosses(Map.of("l".repeat(65), 1.0)),
              "FIELD_TOO_LONG",
              "losses has a name of 65 characters");
          shot(
              p,
              expected,
              s -> s.setRunId("r".repeat(100_000)),
              "FIELD_TOO_LONG",
              "run_id has 100000 characters");
          shot(
              p,
              expected,
              s -> s.setProducerId("p".repeat(300)),
              "FIELD_TOO_LONG",
              "producer_id has 300 characters");
          shot(
              p,
              expected,
              s -> s.setCircuit("c".repeat(300)),
              "FIELD_TOO_LONG",
              "circuit has 300 characters");
        });

    // Run lifecycle events.
    batches.add(
        p -> {
          run(
              p,
              expected,
              runEvent("hostile-r1", 0, now(), started(2, TARGET, "")),
              "INVALID_RUN_START",
              "experiment is empty");
          RunStarted tags = started(2, TARGET, "e");
          tags.setTags(manyEntries(300));
          run(
              p,
              expected,
              runEvent("hostile-r2", 0, now(), tags),
              "TOO_MANY_ENTRIES",
              "tags has 300 entries");
          RunStarted params = started(2, TARGET, "e");
          params.setParams(Map.of("lr", "x".repeat(2000)));
          run(
              p,
              expected,
              runEvent("hostile-r3", 0, now(), params),
              "FIELD_TOO_LONG",
              "params[lr] has 2000 characters");
          run(
              p,
              expected,
              runEvent("hostile-r4", 0, 5L, started(2, TARGET, "e")),
              "INVALID_EVENT_TIME",
              "event_time 5 ms is outside");
          run(
              p,
              expected,
              runEvent("hostile-r5", 0, now(), new RunFinished(RunStatus.SUCCEEDED, -1, null)),
              "INVALID_EPOCH",
              "epochs -1 is outside");
          run(
              p,
              expected,
              runEvent("", 0, now(), started(2, TARGET, "e")),
              "MISSING_RUN_ID",
              "run_id is empty");
          RunStarted longName = started(2, TARGET, "e".repeat(257));
          run(
              p,
              expected,
              runEvent("hostile-r6", 0, now(), longName),
              "FIELD_TOO_LONG",
              "experiment has 257 characters");
        });

    // Targets: each would fail scoring (or the job) if it were accepted.
    batches.add(
        p -> {
          TargetDistribution reversed =
              target("hostile-reversed", 2, List.of(0L, 3L), List.of(0.5, 0.5));
          reversed.setLow(1.0);
          reversed.setHigh(0.0);
          targetCase(
              p,
              expected,
              reversed,
              "INVALID_TARGET",
              "value range [low = 1.0, high = 0.0] must be finite with low < high");
          TargetDistribution nanRange =
              target("hostile-nan-range", 2, List.of(0L, 3L), List.of(0.5, 0.5));
          nanRange.setLow(Double.NaN);
          nanRange.setHigh(1.0);
          targetCase(p, expected, nanRange, "INVALID_TARGET", "[low = NaN");
          targetCase(
              p,
              expected,
              target("hostile-nan-p", 2, List.of(0L, 3L), List.of(Double.NaN, 0.5)),
              "INVALID_TARGET",
              "probabilities[0] = NaN");
          targetCase(
              p,
              expected,
              target("hostile-negative-p", 2, List.of(0L, 3L), List.of(1.5, -0.5)),
              "INVALID_TARGET",
              "probabilities[1] = -0.5");
          targetCase(
              p,
              expected,
              target("hostile-sum", 2, List.of(0L, 3L), List.of(0.5, 0.6)),
              "INVALID_TARGET",
              "probabilities sum to 1.1");
          targetCase(
              p,
              expected,
              target("hostile-dup", 2, List.of(3L, 3L), List.of(0.5, 0.5)),
              "INVALID_TARGET",
              "outcomes[1]: 3 repeats outcomes[0]");
          targetCase(
              p,
              expected,
              target("hostile-range", 2, List.of(0L, 4L), List.of(0.5, 0.5)),
              "INVALID_TARGET",
              "outcomes[1] = 4 does not fit in 2 qubits");
          TargetDistribution state = target("hostile-state", 2, List.of(0L, 3L), List.of(0.5, 0.5));
          state.setAmplitudesRe(List.of(1.0, 0.0));
          targetCase(
              p, expected, state, "INVALID_TARGET", "amplitudes_re has 2 entries, not 2^2 = 4");
          targetCase(
              p,
              expected,
              target("", 2, List.of(0L), List.of(1.0)),
              "MISSING_TARGET_ID",
              "target_id is empty");
          // The good runs' own target id, republished reversed: refused, so the runs keep theirs.
          TargetDistribution hijack = target(TARGET, 2, List.of(0L, 3L), List.of(0.5, 0.5));
          hijack.setLow(1.0);
          hijack.setHigh(0.0);
          targetCase(p, expected, hijack, "INVALID_TARGET", "[low = 1.0, high = 0.0]");
        });

    // Job-state case: an event over the wrong qubit count for a run that stays open.
    batches.add(
        p -> {
          ShotCounts wrongQubits = shots(OPEN_RUN, 1, List.of(0L, 7L), List.of(60L, 40L));
          wrongQubits.setQubits(3);
          wrongQubits.setProducerId("hostile-qubits");
          send(
              p,
              expected,
              Topics.SHOTS,
              OPEN_RUN,
              shotsSerde.serialize(Topics.SHOTS, wrongQubits),
              new Case("qubits differ from the run's target", "QUBITS_MISMATCH", "qubits 3"));
        });
    return batches;
  }

  private static void shot(
      KafkaProducer<byte[], byte[]> p,
      Map<String, Case> expected,
      Consumer<ShotCounts> spoil,
      String errorType,
      String reason) {
    ShotCounts event = shots("hostile-s", 1, List.of(0L, 3L), List.of(60L, 40L));
    spoil.accept(event);
    send(
        p,
        expected,
        Topics.SHOTS,
        "hostile-s",
        shotsSerde.serialize(Topics.SHOTS, event),
        new Case("shots: " + reason, errorType, reason));
  }

  private static void run(
      KafkaProducer<byte[], byte[]> p,
      Map<String, Case> expected,
      RunEvent event,
      String errorType,
      String reason) {
    send(
        p,
        expected,
        Topics.RUNS,
        "hostile-r",
        runsSerde.serialize(Topics.RUNS, event),
        new Case("runs: " + reason, errorType, reason));
  }

  private static void targetCase(
      KafkaProducer<byte[], byte[]> p,
      Map<String, Case> expected,
      TargetDistribution target,
      String errorType,
      String reason) {
    String key = target.getTargetId().isEmpty() ? "hostile-empty-id" : target.getTargetId();
    send(
        p,
        expected,
        Topics.TARGETS,
        key,
        targetsSerde.serialize(Topics.TARGETS, target),
        new Case("targets: " + reason, errorType, reason));
  }

  /** Sends and records the source position its dead letter must name. */
  private static void send(
      KafkaProducer<byte[], byte[]> producer,
      Map<String, Case> expected,
      String topic,
      String key,
      byte[] value,
      Case c) {
    try {
      RecordMetadata at = producer.send(new ProducerRecord<>(topic, utf8(key), value)).get();
      expected.put(position(topic, at.partition(), at.offset()), c);
    } catch (Exception e) {
      throw new AssertionError("sending " + c.name() + " failed", e);
    }
  }

  private static String position(String topic, int partition, long offset) {
    return topic + "/" + partition + "/" + offset;
  }

  // ---- reading and checking ----

  private static Map<String, MetricRecord> readEpochRecords(int atLeast) {
    List<MetricRecord> records =
        TopicReader.readUntil(
            stack.bootstrapServers(),
            stack.schemaRegistry(),
            Topics.METRICS,
            MetricRecord.SCHEMA$,
            (List<MetricRecord> rs) ->
                rs.stream().filter(m -> m.getScope() == MetricScope.EPOCH).count() >= atLeast,
            Duration.ofSeconds(120));
    Map<String, MetricRecord> byId = new HashMap<>();
    Map<String, Integer> copies = new HashMap<>();
    for (MetricRecord m : records) {
      if (m.getScope() == MetricScope.EPOCH) {
        byId.put(m.getRecordId(), m);
        copies.merge(m.getRecordId(), 1, Integer::sum);
      }
    }
    copies.forEach((id, n) -> assertEquals(1, n, id + " scored once"));
    return byId;
  }

  private static Map<String, DeadLetter> readDeadLetters(Set<String> positions, Duration timeout) {
    Map<String, DeadLetter> found = new HashMap<>();
    List<DeadLetter> all =
        TopicReader.readUntil(
            stack.bootstrapServers(),
            stack.schemaRegistry(),
            Topics.DLQ,
            DeadLetter.SCHEMA$,
            (List<DeadLetter> letters) -> {
              for (DeadLetter l : letters) {
                String at =
                    position(l.getSourceTopic(), l.getSourcePartition(), l.getSourceOffset());
                if (positions.contains(at)) {
                  found.put(at, l);
                }
              }
              return found.keySet().containsAll(positions);
            },
            timeout);
    assertTrue(all.size() >= found.size());
    return found;
  }

  /** The job runs, and the MiniCluster's REST API shows no exception: nothing restarted it. */
  private static void assertNoRestart() throws Exception {
    assertEquals(
        org.apache.flink.api.common.JobStatus.RUNNING, job.getJobStatus().get(), "job status");
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> answer =
        http.send(
            HttpRequest.newBuilder(URI.create(restUrl + "/jobs/" + job.getJobID() + "/exceptions"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, answer.statusCode(), answer.body());
    JsonNode exceptions = JSON.readTree(answer.body());
    JsonNode entries = exceptions.path("exceptionHistory").path("entries");
    assertTrue(entries.isArray(), "exception history present: " + answer.body());
    assertEquals(0, entries.size(), "exception history: " + answer.body());
    HttpResponse<String> details =
        http.send(
            HttpRequest.newBuilder(URI.create(restUrl + "/jobs/" + job.getJobID()))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, details.statusCode(), details.body());
    assertEquals("RUNNING", JSON.readTree(details.body()).path("state").asText(), details.body());
  }

  // ---- builders ----

  private static KafkaProducer<byte[], byte[]> rawProducer() {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 900_000);
    return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** ShotCounts fields up to a block count of a billion outcomes, and nothing after. */
  private static byte[] arrayBomb() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(avroString("hostile-bomb"));
    out.writeBytes(avroString("p"));
    out.writeBytes(varint(0)); // seq
    out.writeBytes(varint(0)); // producer_session: null
    out.writeBytes(varint(1)); // epoch
    out.writeBytes(varint(0)); // circuit: null
    out.writeBytes(varint(now()));
    out.writeBytes(varint(2)); // qubits
    out.writeBytes(varint(100)); // shots
    out.writeBytes(varint(1_000_000_000L)); // outcomes: one block of a billion items
    return out.toByteArray();
  }

  private static Map<String, Double> manyLosses() {
    Map<String, Double> losses = new HashMap<>();
    for (int i = 0; i < 33; i++) {
      losses.put("loss" + i, 0.5);
    }
    return losses;
  }

  private static Map<String, String> manyEntries(int n) {
    Map<String, String> entries = new HashMap<>();
    for (int i = 0; i < n; i++) {
      entries.put("k" + i, "v");
    }
    return entries;
  }

  private static long now() {
    return Instant.now().toEpochMilli();
  }

  private static ShotCounts shots(String runId, int epoch, List<Long> outcomes, List<Long> counts) {
    return ShotCounts.newBuilder()
        .setRunId(runId)
        .setProducerId("hostile-it")
        .setSeq(epoch)
        .setEpoch(epoch)
        .setEventTime(Instant.now())
        .setQubits(2)
        .setShots(100)
        .setOutcomes(new ArrayList<>(outcomes))
        .setCounts(new ArrayList<>(counts))
        .setLosses(new HashMap<>())
        .build();
  }

  private static RunEvent runEvent(String runId, long seq, long eventTime, Object payload) {
    return RunEvent.newBuilder()
        .setRunId(runId)
        .setProducerId("hostile-it")
        .setSeq(seq)
        .setEventTime(Instant.ofEpochMilli(eventTime))
        .setPayload(payload)
        .build();
  }

  private static RunStarted started(int qubits, String targetId, String experiment) {
    return RunStarted.newBuilder()
        .setExperiment(experiment)
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

  private static TargetDistribution target(
      String id, int qubits, List<Long> outcomes, List<Double> probabilities) {
    return TargetDistribution.newBuilder()
        .setTargetId(id)
        .setQubits(qubits)
        .setDescription("hostile-it")
        .setOutcomes(new ArrayList<>(outcomes))
        .setProbabilities(new ArrayList<>(probabilities))
        .setUpdatedTime(Instant.now())
        .build();
  }

  private static List<String> concat(List<String> list, String one) {
    List<String> all = new ArrayList<>(list);
    all.add(one);
    return all;
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
