package io.qmon.tests.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qmon.producers.sdk.QmonPublisher;
import io.qmon.producers.sdk.RunPublisher;
import io.qmon.schemas.MetricRecord;
import io.qmon.schemas.MetricScope;
import io.qmon.schemas.RunStarted;
import io.qmon.schemas.ShotCounts;
import io.qmon.schemas.TargetDistribution;
import io.qmon.schemas.Topics;
import io.qmon.schemas.serde.ConfluentAvroSerde;
import io.qmon.schemas.serde.RestSchemaRegistry;
import io.qmon.stack.EmbeddedStack;
import io.qmon.stack.Ports;
import io.qmon.stack.StackPorts;
import io.qmon.stack.StackSettings;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real failure and recovery: the schema registry freezes while an event written with a schema
 * version the job has not cached arrives, the decoder's registry call times out, the job fails,
 * restarts from its last checkpoint and goes on once the registry answers again. Nothing may be
 * lost in either delivery mode; with exactly-once sinks nothing may be doubled either, as seen by a
 * read_committed consumer. At-least-once replays are counted and printed.
 */
class RegistryOutageIT {
  private static final int EPOCHS_BEFORE = 30;
  private static final int EPOCHS_AFTER = 10;

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One stack for both delivery modes: each test runs and cancels a job of its own on it. */
  private static EmbeddedStack stack;

  @BeforeAll
  static void startStack() throws Exception {
    // A pinned web port, so the job's failures can be read from the MiniCluster's REST API.
    stack =
        EmbeddedStack.start(
            StackSettings.fromSystemProperties(),
            new StackPorts(0, 0, 0, Ports.freeLoopbackPort(), 0, 0));
  }

  @AfterAll
  static void stopStack() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void shouldLoseAndDoubleNothingAcrossARestartWithExactlyOnceSinks() throws Exception {
    Map<String, Integer> copies = runOutage("exactly-once");
    copies.forEach((id, n) -> assertEquals(1, n, id + " appears once"));
  }

  @Test
  void shouldLoseNothingAcrossARestartWithAtLeastOnceSinks() throws Exception {
    Map<String, Integer> copies = runOutage("at-least-once");
    long replayed = copies.values().stream().filter(n -> n > 1).count();
    System.out.printf(
        "at-least-once across the restart: %d of %d records delivered more than once%n",
        replayed, copies.size());
  }

  /** Returns, per metric record id of the run, how many copies a read_committed consumer saw. */
  private static Map<String, Integer> runOutage(String guarantee) throws Exception {
    String runId = "outage-" + guarantee + "-" + UUID.randomUUID().toString().substring(0, 6);
    JobClient job =
        stack.startMonitoringJob(
            stack.jobConfig(
                Map.of(
                    "kafka.group-id",
                    runId,
                    "job.delivery-guarantee",
                    guarantee,
                    "job.checkpoint-interval-ms",
                    "3000",
                    "job.parallelism",
                    "1")));
    try {
      Schema evolved = evolvedShotCountsSchema(guarantee);
      int evolvedId =
          new RestSchemaRegistry(stack.schemaRegistryUrl())
              .register(Topics.SHOTS + "-value", evolved);
      try (QmonPublisher publisher =
          QmonPublisher.builder()
              .bootstrapServers(stack.bootstrapServers())
              .schemaRegistryUrl(stack.schemaRegistryUrl())
              .producerId("outage-it")
              .build()) {
        publisher.publishTarget(target());
        RunPublisher run = publisher.startRun(started(), runId);
        for (int e = 1; e <= EPOCHS_BEFORE; e++) {
          run.publishEpoch(e, new long[] {0, 3}, new long[] {50, 50}, Map.of());
        }
        publisher.flush();
        awaitEpochs(stack, runId, EPOCHS_BEFORE);
        assertEquals(0, failures(job).size(), "no failure before the outage");

        signal("STOP", stack.schemaRegistryPid());
        try {
          sendWithEvolvedSchema(stack, evolved, evolvedId, guarantee, runId, EPOCHS_BEFORE + 1);
          // The decoder's registry call times out after 10 s and fails the job.
          awaitFailure(job);
        } finally {
          signal("CONT", stack.schemaRegistryPid());
        }
        // The SDK's sequence numbers continue past the hand-written event's.
        for (int e = EPOCHS_BEFORE + 2; e <= EPOCHS_BEFORE + 1 + EPOCHS_AFTER; e++) {
          run.publishEpoch(e, new long[] {0, 3}, new long[] {60, 40}, Map.of());
        }
        // The run stays open: its end event would announce only the SDK's own epochs.
        publisher.flush();
      }
      int epochs = EPOCHS_BEFORE + 1 + EPOCHS_AFTER;
      // Read on a little after the last epoch arrived, so late duplicates would be seen too.
      Map<String, Integer> copies =
          readCopies(stack, runId, epochs, Duration.ofSeconds(120), Duration.ofSeconds(5));
      for (int e = 1; e <= epochs; e++) {
        assertTrue(copies.containsKey(runId + "/epoch/" + e), "epoch " + e + " was not lost");
      }
      return copies;
    } finally {
      job.cancel().get(60, TimeUnit.SECONDS);
    }
  }

  /**
   * A schema version no job has seen: the added field's name differs per test, because the stack's
   * second job reads the first test's events (and caches their schema) when it starts.
   */
  private static Schema evolvedShotCountsSchema(String guarantee) {
    return new Schema.Parser()
        .parse(
            ShotCounts.SCHEMA$
                .toString()
                .replace(
                    "{\"name\":\"run_id\"",
                    "{\"name\":\""
                        + deviceField(guarantee)
                        + "\",\"type\":\"string\",\"default\":\"\"},{\"name\":\"run_id\""));
  }

  private static String deviceField(String guarantee) {
    return "device_" + guarantee.replace('-', '_');
  }

  private static void sendWithEvolvedSchema(
      EmbeddedStack stack, Schema evolved, int schemaId, String guarantee, String runId, int epoch)
      throws Exception {
    GenericRecord record = new GenericData.Record(evolved);
    record.put(deviceField(guarantee), "qpu-7");
    record.put("run_id", runId);
    record.put("producer_id", "outage-it-device");
    record.put("seq", 0L);
    record.put("epoch", epoch);
    record.put("circuit", null);
    record.put("event_time", Instant.now().toEpochMilli());
    record.put("qubits", 2);
    record.put("shots", 100L);
    record.put("outcomes", List.of(0L, 3L));
    record.put("counts", List.of(50L, 50L));
    record.put("losses", new HashMap<String, Double>());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(ConfluentAvroSerde.MAGIC_BYTE);
    out.write(ByteBuffer.allocate(4).putInt(schemaId).array());
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(evolved).write(record, encoder);
    encoder.flush();
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer
          .send(
              new ProducerRecord<>(
                  Topics.SHOTS, runId.getBytes(StandardCharsets.UTF_8), out.toByteArray()))
          .get();
    }
  }

  private static void awaitEpochs(EmbeddedStack stack, String runId, int epochs) {
    Map<String, Integer> copies =
        readCopies(stack, runId, epochs, Duration.ofSeconds(90), Duration.ZERO);
    assertTrue(copies.size() >= epochs, "first " + epochs + " epochs scored: " + copies.size());
  }

  /**
   * Reads the run's records until {@code distinct} of them arrived and then {@code tail} longer, or
   * until the timeout.
   */
  private static Map<String, Integer> readCopies(
      EmbeddedStack stack, String runId, int distinct, Duration timeout, Duration tail) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "outage-reader-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    ConfluentAvroSerde<MetricRecord> serde =
        new ConfluentAvroSerde<>(stack.schemaRegistry(), MetricRecord.SCHEMA$);
    Map<String, Integer> copies = new HashMap<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(Topics.METRICS));
      long quietUntil = Long.MAX_VALUE;
      while (System.nanoTime() < Math.min(deadline, quietUntil)) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          MetricRecord metric = serde.deserialize(record.value());
          if (metric.getRunId().equals(runId) && metric.getScope() != MetricScope.WINDOW) {
            copies.merge(metric.getRecordId(), 1, Integer::sum);
          }
        }
        if (copies.size() >= distinct && quietUntil == Long.MAX_VALUE) {
          quietUntil = System.nanoTime() + tail.toNanos();
        }
      }
    }
    return copies;
  }

  /**
   * Waits until the job's exception history holds its failure, and checks it was the registry call:
   * Flink then restarts the failed tasks by itself.
   */
  private static void awaitFailure(JobClient job) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    JsonNode failures = failures(job);
    while (failures.isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the job did not fail while the registry was frozen");
      }
      Thread.sleep(200);
      failures = failures(job);
    }
    String trace = failures.get(0).path("stacktrace").asText();
    assertTrue(trace.contains("SchemaRegistryException"), "failed on the registry: " + trace);
  }

  /** The job's exception history, from the REST API of the MiniCluster it runs on. */
  private static JsonNode failures(JobClient job) throws Exception {
    String url = stack.flinkWebUrl().orElseThrow() + "/jobs/" + job.getJobID() + "/exceptions";
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), url + ": " + response.body());
    return JSON.readTree(response.body()).path("exceptionHistory").path("entries");
  }

  private static void signal(String signal, long pid) throws Exception {
    int status = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start().waitFor();
    assertEquals(0, status, "kill -" + signal + " " + pid);
  }

  private static TargetDistribution target() {
    return TargetDistribution.newBuilder()
        .setTargetId("outage-target")
        .setQubits(2)
        .setDescription("bell pair")
        .setOutcomes(List.of(0L, 3L))
        .setProbabilities(List.of(0.5, 0.5))
        .setUpdatedTime(Instant.now())
        .build();
  }

  private static RunStarted started() {
    return RunStarted.newBuilder()
        .setExperiment("outage")
        .setModelType("born_machine")
        .setAnsatz("a")
        .setRepetitions(1)
        .setQubits(2)
        .setShots(100)
        .setBackend("b")
        .setOptimizer("o")
        .setSeed(1)
        .setTargetId("outage-target")
        .build();
  }
}
