package io.qmon.tests.producers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qmon.producers.sdk.QmonPublisher;
import io.qmon.producers.sdk.RunPublisher;
import io.qmon.producers.sdk.RunSpec;
import io.qmon.schemas.MetricRecord;
import io.qmon.schemas.RunStatus;
import io.qmon.schemas.ShotCounts;
import io.qmon.schemas.StateSnapshot;
import io.qmon.schemas.TargetDistribution;
import io.qmon.schemas.Topics;
import io.qmon.stack.EmbeddedStack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Python and Java speak the same wire format: epochs a real Qiskit Born machine publishes through
 * the Python SDK are decoded and scored by the Java pipeline, and events the Java SDK publishes are
 * read back by confluent-kafka's AvroDeserializer.
 */
@ExtendWith(SharedSdkStack.class)
class CrossLanguageIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int QUBITS = 3;
  private static final int EPOCHS = 5;

  private static EmbeddedStack stack;
  private static VenvPython python;

  @BeforeAll
  static void start(EmbeddedStack shared) throws Exception {
    python = VenvPython.create();
    stack = shared;
  }

  @Test
  void shouldScoreEpochsPublishedByThePythonSdkFromAQiskitBornMachine() throws Exception {
    String runId = "it-py-" + UUID.randomUUID();
    VenvPython.Result example =
        python.run(
            List.of(
                "producers/python/examples/qiskit_born_machine.py",
                "--bootstrap-servers",
                stack.bootstrapServers(),
                "--schema-registry-url",
                stack.schemaRegistryUrl(),
                "--qubits",
                Integer.toString(QUBITS),
                "--epochs",
                Integer.toString(EPOCHS),
                "--shots",
                "512",
                "--run-id",
                runId,
                "--states"),
            300);
    assertEquals(0, example.exitCode(), "example failed: " + example.stderr());
    Map<Integer, Double> printedJsd = new HashMap<>();
    for (String line : example.stdout()) {
      if (line.startsWith("epoch ")) {
        String[] parts = line.split(" ");
        printedJsd.put(Integer.parseInt(parts[1]), Double.parseDouble(parts[3]));
      }
    }
    assertEquals(EPOCHS, printedJsd.size(), "example output: " + example.stdout());

    List<ShotCounts> shots =
        readKey(Topics.SHOTS, ShotCounts.SCHEMA$, runId, EPOCHS, Duration.ofMillis(500));
    assertEquals(
        List.of(1, 2, 3, 4, 5), shots.stream().map(ShotCounts::getEpoch).toList(), "epochs");
    assertEquals(
        List.of(1L, 3L, 5L, 7L, 9L),
        shots.stream().map(ShotCounts::getSeq).toList(),
        "one sequence shared with the interleaved state snapshots");
    List<StateSnapshot> states =
        readKey(Topics.STATES, StateSnapshot.SCHEMA$, runId, EPOCHS, Duration.ofMillis(200));
    for (StateSnapshot state : states) {
      double norm = 0;
      for (int i = 0; i < state.getAmplitudesRe().size(); i++) {
        norm +=
            Math.pow(state.getAmplitudesRe().get(i), 2)
                + Math.pow(state.getAmplitudesIm().get(i), 2);
      }
      assertEquals(1.0, norm, 1e-9, "snapshot of epoch " + state.getEpoch());
    }
    // Other runs on the shared stack may publish the same target: the newest version counts.
    String targetId = "py-normal-0-1-q" + QUBITS;
    List<TargetDistribution> targets =
        KeyedTopicReader.<TargetDistribution>readByKey(
                stack.bootstrapServers(),
                stack.schemaRegistry(),
                Topics.TARGETS,
                TargetDistribution.SCHEMA$,
                targetId::equals,
                m -> m.containsKey(targetId),
                Duration.ofSeconds(60),
                Duration.ZERO)
            .get(targetId);
    TargetDistribution target = targets.get(targets.size() - 1);
    double[] p = dense(target.getOutcomes(), target.getProbabilities());

    Map<String, MetricRecord> metrics = new HashMap<>();
    KeyedTopicReader.<MetricRecord>readByKey(
            stack.bootstrapServers(),
            stack.schemaRegistry(),
            Topics.METRICS,
            MetricRecord.SCHEMA$,
            m -> epochRecords(m, runId) >= EPOCHS,
            Duration.ofSeconds(120),
            Duration.ZERO)
        .forEach((key, records) -> records.forEach(r -> metrics.put(key, r)));
    for (ShotCounts epoch : shots) {
      MetricRecord record = metrics.get(runId + "/epoch/" + epoch.getEpoch());
      assertNotNull(record, "metric record of epoch " + epoch.getEpoch() + ": " + metrics.keySet());
      double[] q = dense(epoch.getOutcomes(), epoch.getCounts());
      double jsd = record.getMetrics().get("jsd");
      assertEquals(jsdBits(p, q), jsd, 1e-9, "jsd of epoch " + epoch.getEpoch());
      assertEquals(printedJsd.get(epoch.getEpoch()), jsd, 5e-5, "the example's own jsd");
      assertEquals(epoch.getLosses().get("jsd"), jsd, 1e-9, "the published jsd loss");
      double fidelity = record.getMetrics().get("fidelity");
      assertTrue(fidelity > 0 && fidelity <= 1, "fidelity " + fidelity);
      assertEquals(512, record.getShots());
      assertEquals(QUBITS, record.getQubits());
    }
  }

  @Test
  void shouldReadEventsPublishedByTheJavaSdkWithConfluentKafkaDeserializer() throws Exception {
    String runId = "it-java-" + UUID.randomUUID();
    long[][] outcomes = {{0, 5}, {1, 2, 7}, {3}};
    long[][] counts = {{60, 40}, {10, 20, 70}, {100}};
    try (QmonPublisher publisher =
        QmonPublisher.builder()
            .bootstrapServers(stack.bootstrapServers())
            .schemaRegistryUrl(stack.schemaRegistryUrl())
            .producerId("it-java-sdk")
            .build()) {
      RunPublisher run =
          publisher.startRun(
              RunSpec.builder(runId)
                  .experiment("cross-language")
                  .modelType("qgan")
                  .ansatz("qgan_generator")
                  .repetitions(2)
                  .qubits(QUBITS)
                  .shots(100)
                  .backend("qmon-statevector")
                  .optimizer("adam")
                  .seed(42)
                  .target("normal-0-1-q3")
                  .config("cfg-abc", 2)
                  .param("lr", "0.01")
                  .build());
      for (int e = 0; e < outcomes.length; e++) {
        run.publishEpoch(e + 1, outcomes[e], counts[e], Map.of("g_loss", 0.5 + e, "d_loss", 0.25));
      }
      run.finish(RunStatus.SUCCEEDED, "done");
    }

    List<JsonNode> shots = consumeInPython(Topics.SHOTS, runId, outcomes.length);
    for (int e = 0; e < outcomes.length; e++) {
      JsonNode event = shots.get(e);
      assertEquals(runId, event.get("run_id").asText());
      assertEquals("it-java-sdk", event.get("producer_id").asText());
      assertEquals(e + 1, event.get("seq").asLong());
      assertEquals(e + 1, event.get("epoch").asInt());
      assertEquals(QUBITS, event.get("qubits").asInt());
      assertEquals(100, event.get("shots").asLong());
      assertEquals(toList(outcomes[e]), longs(event.get("outcomes")));
      assertEquals(toList(counts[e]), longs(event.get("counts")));
      assertEquals(0.5 + e, event.get("losses").get("g_loss").asDouble(), 0.0);
      assertEquals(0.25, event.get("losses").get("d_loss").asDouble(), 0.0);
      assertTrue(event.get("event_time").asLong() > 1_600_000_000_000L, "timestamp-millis");
    }
    List<JsonNode> lifecycle = consumeInPython(Topics.RUNS, runId, 2);
    JsonNode started = lifecycle.get(0).get("payload");
    assertEquals(0, lifecycle.get(0).get("seq").asLong());
    assertEquals("cross-language", started.get("experiment").asText());
    assertEquals("qgan", started.get("model_type").asText());
    assertEquals("cfg-abc", started.get("config_id").asText());
    assertEquals(2, started.get("repeat_index").asInt());
    assertEquals("0.01", started.get("params").get("lr").asText());
    JsonNode finished = lifecycle.get(1).get("payload");
    assertEquals(4, lifecycle.get(1).get("seq").asLong());
    assertEquals("SUCCEEDED", finished.get("status").asText());
    assertEquals(3, finished.get("epochs").asInt());
    assertEquals("done", finished.get("message").asText());
  }

  private static List<JsonNode> consumeInPython(String topic, String key, int count)
      throws Exception {
    VenvPython.Result read =
        python.run(
            List.of(
                "-m",
                "qmon_sdk.consume",
                "--bootstrap-servers",
                stack.bootstrapServers(),
                "--schema-registry-url",
                stack.schemaRegistryUrl(),
                "--topic",
                topic,
                "--key",
                key,
                "--count",
                Integer.toString(count),
                "--timeout",
                "60"),
            120);
    assertEquals(0, read.exitCode(), "consume failed: " + read.stderr());
    List<JsonNode> events = new ArrayList<>();
    for (String line : read.stdout()) {
      events.add(JSON.readTree(line));
    }
    assertEquals(count, events.size(), "records printed: " + read.stdout());
    return events;
  }

  private static <T extends org.apache.avro.specific.SpecificRecord> List<T> readKey(
      String topic, org.apache.avro.Schema schema, String key, int count, Duration settle) {
    Map<String, List<T>> byKey =
        KeyedTopicReader.readByKey(
            stack.bootstrapServers(),
            stack.schemaRegistry(),
            topic,
            schema,
            key::equals,
            m -> m.getOrDefault(key, List.of()).size() >= count,
            Duration.ofSeconds(60),
            settle);
    List<T> records = byKey.getOrDefault(key, List.of());
    assertEquals(count, records.size(), topic + " records of " + key);
    return records;
  }

  private static long epochRecords(Map<String, List<MetricRecord>> byKey, String runId) {
    return byKey.keySet().stream().filter(k -> k.startsWith(runId + "/epoch/")).count();
  }

  private static double[] dense(List<Long> outcomes, List<? extends Number> weights) {
    double[] out = new double[1 << QUBITS];
    double total = 0;
    for (int i = 0; i < outcomes.size(); i++) {
      out[outcomes.get(i).intValue()] = weights.get(i).doubleValue();
      total += weights.get(i).doubleValue();
    }
    for (int i = 0; i < out.length; i++) {
      out[i] /= total;
    }
    return out;
  }

  private static double jsdBits(double[] p, double[] q) {
    double sum = 0;
    for (int i = 0; i < p.length; i++) {
      double m = 0.5 * (p[i] + q[i]);
      if (p[i] > 0) {
        sum += 0.5 * p[i] * Math.log(p[i] / m);
      }
      if (q[i] > 0) {
        sum += 0.5 * q[i] * Math.log(q[i] / m);
      }
    }
    return sum / Math.log(2);
  }

  private static List<Long> toList(long[] values) {
    return java.util.Arrays.stream(values).boxed().toList();
  }

  private static List<Long> longs(JsonNode array) {
    List<Long> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asLong()));
    return out;
  }
}
