package io.qmon.tests.producers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qmon.producers.examples.JavaQuickstart;
import io.qmon.schemas.DeadLetter;
import io.qmon.schemas.MetricRecord;
import io.qmon.schemas.RunEvent;
import io.qmon.schemas.RunFinished;
import io.qmon.schemas.RunStatus;
import io.qmon.schemas.ShotCounts;
import io.qmon.schemas.Topics;
import io.qmon.schemas.serde.ConfluentAvroSerde;
import io.qmon.stack.EmbeddedStack;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every SDK example runs against the embedded stack with the monitoring job, configured only by
 * {@code QMON_BOOTSTRAP_SERVERS} / {@code QMON_SCHEMA_REGISTRY_URL}, and the job scores each epoch
 * it published; the consume tool prints the dead letters of bad input.
 */
@ExtendWith(SharedSdkStack.class)
class SdkExamplesIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern SUMMARY = Pattern.compile("run_id=(\\S+) epochs=(\\d+).*");

  private static EmbeddedStack stack;
  private static VenvPython python;

  @BeforeAll
  static void start(EmbeddedStack shared) throws Exception {
    python = VenvPython.create();
    stack = shared;
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "qiskit_minimal.py",
        "optimizer_callback.py",
        "torch_style_loop.py",
        "pennylane_counts.py"
      })
  void shouldScoreEveryEpochAPythonExamplePublishes(String example) throws Exception {
    String runId = "it-example-" + example.replace(".py", "") + "-" + UUID.randomUUID();
    VenvPython.Result result =
        python.run(
            List.of("producers/python/examples/" + example, "--run-id", runId, "--epochs", "8"),
            Map.of(
                "QMON_BOOTSTRAP_SERVERS",
                stack.bootstrapServers(),
                "QMON_SCHEMA_REGISTRY_URL",
                stack.schemaRegistryUrl()),
            300);
    assertEquals(0, result.exitCode(), example + " failed: " + result.stderr());
    String last = result.stdout().get(result.stdout().size() - 1);
    Matcher summary = SUMMARY.matcher(last);
    assertTrue(summary.matches(), "summary line: " + last);
    assertEquals(runId, summary.group(1));
    int epochs = Integer.parseInt(summary.group(2));
    assertTrue(epochs >= 3 && epochs <= 8, example + " published " + epochs + " epochs");

    MetricRecord opened = assertRunScored(runId, epochs);
    assertEquals("python", opened.getTags().get("qmon.language"), opened.getTags().toString());
    assertTrue(
        opened.getAttachments().getOrDefault("environment.txt", "").contains("qiskit=="),
        "environment.txt on RUN_OPENED of " + example);
  }

  @Test
  void shouldScoreEveryEpochOfTheJavaExample() throws Exception {
    String runId = "it-example-java-" + UUID.randomUUID();
    JavaQuickstart.main(
        new String[] {stack.bootstrapServers(), stack.schemaRegistryUrl(), runId, "6"});
    MetricRecord opened = assertRunScored(runId, 6);
    assertEquals("java", opened.getTags().get("qmon.language"), opened.getTags().toString());
    assertTrue(
        opened.getAttachments().getOrDefault("environment.txt", "").contains("kafka-clients=="),
        "environment.txt with the classpath on RUN_OPENED of the Java example");
  }

  @Test
  void shouldPrintDeadLettersWithTheirReasonSourceAndInputSize() throws Exception {
    String runId = "it-dlq-" + UUID.randomUUID();
    byte[] garbage = "not avro at all".getBytes(StandardCharsets.UTF_8);
    byte[] badCounts =
        new ConfluentAvroSerde<ShotCounts>(stack.schemaRegistry(), ShotCounts.SCHEMA$)
            .serialize(
                Topics.SHOTS,
                ShotCounts.newBuilder()
                    .setRunId(runId)
                    .setProducerId("it-dlq")
                    .setSeq(1)
                    .setEpoch(1)
                    .setEventTime(Instant.now())
                    .setQubits(2)
                    .setShots(100)
                    .setOutcomes(List.of(0L, 3L))
                    .setCounts(List.of(50L, 49L))
                    .setLosses(Map.of())
                    .build());
    int partition;
    long garbageOffset;
    long badCountsOffset;
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      byte[] key = runId.getBytes(StandardCharsets.UTF_8);
      RecordMetadata a = producer.send(new ProducerRecord<>(Topics.SHOTS, key, garbage)).get();
      RecordMetadata b = producer.send(new ProducerRecord<>(Topics.SHOTS, key, badCounts)).get();
      // One key, one partition: other tests' dead letters on the shared stack differ in it or in
      // the offset.
      partition = b.partition();
      garbageOffset = a.offset();
      badCountsOffset = b.offset();
    }

    List<DeadLetter> letters = new ArrayList<>();
    KeyedTopicReader.<DeadLetter>readByKey(
            stack.bootstrapServers(),
            stack.schemaRegistry(),
            Topics.DLQ,
            DeadLetter.SCHEMA$,
            byKey ->
                byKey.values().stream()
                        .flatMap(List::stream)
                        .filter(d -> d.getSourceTopic().equals(Topics.SHOTS))
                        .filter(d -> d.getSourcePartition() == partition)
                        .filter(
                            d ->
                                d.getSourceOffset() == garbageOffset
                                    || d.getSourceOffset() == badCountsOffset)
                        .count()
                    >= 2,
            Duration.ofSeconds(120),
            Duration.ofSeconds(1))
        .values()
        .forEach(letters::addAll);

    VenvPython.Result read =
        python.run(
            List.of(
                "-m",
                "qmon_sdk.consume",
                "--topic",
                Topics.DLQ,
                "--key",
                runId,
                "--count",
                "2",
                "--timeout",
                "60"),
            Map.of(
                "QMON_BOOTSTRAP_SERVERS",
                stack.bootstrapServers(),
                "QMON_SCHEMA_REGISTRY_URL",
                stack.schemaRegistryUrl()),
            120);
    assertEquals(0, read.exitCode(), "consume failed: " + read.stderr());
    assertEquals(2, read.stdout().size(), "one line per dead letter of the run");
    JsonNode garbageLine = null;
    JsonNode countsLine = null;
    for (String line : read.stdout()) {
      JsonNode letter = JSON.readTree(line);
      if (Topics.SHOTS.equals(letter.get("source_topic").asText())) {
        long offset = letter.get("source_offset").asLong();
        garbageLine = offset == garbageOffset ? letter : garbageLine;
        countsLine = offset == badCountsOffset ? letter : countsLine;
      }
    }
    assertNotNull(garbageLine, "dead letter of the garbage record: " + read.stdout());
    assertNotNull(countsLine, "dead letter of the bad counts: " + read.stdout());

    assertEquals("UNREADABLE", garbageLine.get("error_type").asText());
    assertTrue(garbageLine.get("reason").asText().contains("magic byte"), garbageLine.toString());
    assertEquals(garbage.length, garbageLine.get("value_bytes").asInt(), "the embedded input");
    assertEquals(runId, garbageLine.get("key").asText());
    assertTrue(garbageLine.get("run_id").isNull());

    assertEquals("COUNTS_NOT_SUMMING_TO_SHOTS", countsLine.get("error_type").asText());
    assertTrue(
        countsLine.get("reason").asText().contains("counts sum to 99 but shots is 100"),
        countsLine.toString());
    assertEquals(runId, countsLine.get("run_id").asText());
    DeadLetter javaView =
        letters.stream()
            .filter(d -> d.getSourceOffset() == badCountsOffset)
            .filter(d -> d.getSourcePartition() == partition)
            .filter(d -> d.getSourceTopic().equals(Topics.SHOTS))
            .findFirst()
            .orElseThrow();
    assertEquals(javaView.getValue().remaining(), countsLine.get("value_bytes").asInt());
    assertEquals(javaView.getSourcePartition(), countsLine.get("source_partition").asInt());
    assertEquals(
        javaView.getRejectedTime().toEpochMilli(), countsLine.get("rejected_time").asLong());
  }

  /**
   * The job wrote one EPOCH metric record per published epoch, and the run ended SUCCEEDED.
   *
   * @return the run's RUN_OPENED record
   */
  private static MetricRecord assertRunScored(String runId, int epochs) {
    Map<String, List<MetricRecord>> metrics =
        KeyedTopicReader.readByKey(
            stack.bootstrapServers(),
            stack.schemaRegistry(),
            Topics.METRICS,
            MetricRecord.SCHEMA$,
            byKey -> epochKeys(byKey, runId) >= epochs && byKey.containsKey(runId + "/opened"),
            Duration.ofSeconds(180),
            Duration.ofSeconds(1));
    for (int epoch = 1; epoch <= epochs; epoch++) {
      List<MetricRecord> record = metrics.get(runId + "/epoch/" + epoch);
      assertNotNull(record, "epoch " + epoch + " of " + runId + " scored: " + metrics.keySet());
      assertTrue(
          record.get(0).getMetrics().containsKey("jsd"), "jsd of epoch " + epoch + " of " + runId);
    }
    assertEquals(epochs, epochKeys(metrics, runId), "epochs scored of " + runId);

    Map<String, List<RunEvent>> lifecycle =
        KeyedTopicReader.readByKey(
            stack.bootstrapServers(),
            stack.schemaRegistry(),
            Topics.RUNS,
            RunEvent.SCHEMA$,
            runId::equals,
            byKey -> byKey.getOrDefault(runId, List.of()).size() >= 2,
            Duration.ofSeconds(60),
            Duration.ZERO);
    List<RunEvent> events = lifecycle.get(runId);
    assertEquals(2, events.size(), "start and finish of " + runId);
    RunFinished finished = (RunFinished) events.get(1).getPayload();
    assertEquals(RunStatus.SUCCEEDED, finished.getStatus());
    assertEquals(epochs, finished.getEpochs());
    assertNotNull(events.get(0).getProducerSession(), "producer_session of " + runId);
    assertEquals(events.get(0).getProducerSession(), events.get(1).getProducerSession());
    List<MetricRecord> opened = metrics.get(runId + "/opened");
    assertNotNull(opened, "RUN_OPENED of " + runId);
    return opened.get(0);
  }

  private static long epochKeys(Map<String, List<MetricRecord>> byKey, String runId) {
    return byKey.keySet().stream().filter(k -> k.startsWith(runId + "/epoch/")).count();
  }
}
