package io.qmon.producers.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qmon.schemas.RunEvent;
import io.qmon.schemas.RunFinished;
import io.qmon.schemas.RunStatus;
import io.qmon.schemas.ShotCounts;
import io.qmon.schemas.StateSnapshot;
import io.qmon.schemas.Topics;
import io.qmon.schemas.serde.ConfluentAvroSerde;
import io.qmon.schemas.serde.SchemaRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * A run's identity and ending, read back from the bytes handed to Kafka (Kafka's own {@code
 * MockProducer} stands in for the broker): sessions tell producer restarts apart, and a run ends
 * exactly once whichever way it ends.
 */
class RunLifecycleTest {
  private final MemoryRegistry registry = new MemoryRegistry();

  @Test
  void shouldStampEveryEventWithOneSessionPerPublisherSoARestartIsNotADuplicate() {
    MockProducer<byte[], byte[]> first = mockProducer();
    QmonPublisher before = publisher(first, "worker-7");
    RunPublisher run = before.startRun(spec("run-a"));
    run.publishEpoch(1, new long[] {0, 3}, new long[] {6, 4}, Map.of());
    run.publishState(1, new double[] {1, 0, 0, 0}, new double[4]);
    run.close();

    MockProducer<byte[], byte[]> second = mockProducer();
    QmonPublisher restarted = publisher(second, "worker-7");
    RunPublisher again = restarted.startRun(spec("run-a"));
    again.publishEpoch(1, new long[] {1}, new long[] {10}, Map.of());

    List<String> sessionsBefore = sessions(first);
    List<String> sessionsAfter = sessions(second);
    assertEquals(4, sessionsBefore.size(), "start, epoch, state, finish");
    assertEquals(List.of(before.producerSession()), sessionsBefore.stream().distinct().toList());
    assertEquals(2, sessionsAfter.size());
    assertEquals(List.of(restarted.producerSession()), sessionsAfter.stream().distinct().toList());
    assertNotEquals(before.producerSession(), restarted.producerSession());
    assertEquals(36, before.producerSession().length(), "a UUID: " + before.producerSession());
    assertEquals(List.of(0L, 1L, 2L, 3L), seqs(first), "the first life's sequence");
    assertEquals(List.of(0L, 1L), seqs(second), "the restarted life counts from 0 again");
  }

  @Test
  void shouldFinishOnlyOnceWhenFailedThenClosed() {
    MockProducer<byte[], byte[]> kafka = mockProducer();
    QmonPublisher publisher = publisher(kafka, "p");
    RunPublisher run = publisher.startRun(spec("run-b"));
    run.publishEpoch(1, new long[] {2}, new long[] {10}, Map.of());
    var failed = run.fail(new IllegalStateException("loss diverged"));
    run.close();
    assertSame(failed, run.finish(RunStatus.SUCCEEDED, "late"), "the first end stands");

    List<RunFinished> ends = finishes(kafka);
    assertEquals(1, ends.size());
    assertEquals(RunStatus.FAILED, ends.get(0).getStatus());
    assertEquals("java.lang.IllegalStateException: loss diverged", ends.get(0).getMessage());
    assertEquals(1, ends.get(0).getEpochs());
    assertTrue(run.isFinished());
    assertThrows(
        IllegalStateException.class,
        () -> run.publishEpoch(2, new long[] {2}, new long[] {10}, Map.of()));
  }

  @Test
  void shouldCloseARunAsSucceededWithItsEpochCount() {
    MockProducer<byte[], byte[]> kafka = mockProducer();
    QmonPublisher publisher = publisher(kafka, "p");
    try (RunPublisher run = publisher.startRun(spec("run-c"))) {
      for (int epoch = 1; epoch <= 3; epoch++) {
        run.publishEpoch(epoch, new long[] {epoch}, new long[] {10}, Map.of("loss", 1.0 / epoch));
      }
    }
    List<RunFinished> ends = finishes(kafka);
    assertEquals(1, ends.size());
    assertEquals(RunStatus.SUCCEEDED, ends.get(0).getStatus());
    assertEquals(3, ends.get(0).getEpochs());
    assertNull(ends.get(0).getMessage());
  }

  @Test
  void shouldMarkTheRunFailedAndRethrowWhenTheTrainingBodyThrows() {
    MockProducer<byte[], byte[]> kafka = mockProducer();
    QmonPublisher publisher = publisher(kafka, "p");
    ArithmeticException boom = new ArithmeticException("nan loss");
    ArithmeticException thrown =
        assertThrows(
            ArithmeticException.class,
            () ->
                publisher.run(
                    spec("run-d"),
                    run -> {
                      run.publishEpoch(1, new long[] {0}, new long[] {10}, Map.of());
                      throw boom;
                    }));
    assertSame(boom, thrown);
    RunFinished end = finishes(kafka).get(0);
    assertEquals(RunStatus.FAILED, end.getStatus());
    assertEquals("java.lang.ArithmeticException: nan loss", end.getMessage());
  }

  @Test
  void shouldMarkTheRunKilledWhenTheTrainingBodyIsInterrupted() {
    MockProducer<byte[], byte[]> kafka = mockProducer();
    QmonPublisher publisher = publisher(kafka, "p");
    RunFailedException thrown =
        assertThrows(
            RunFailedException.class,
            () ->
                publisher.run(
                    spec("run-e"),
                    run -> {
                      throw new InterruptedException("stop");
                    }));
    assertTrue(Thread.interrupted(), "the interrupt is restored");
    assertTrue(thrown.getCause() instanceof InterruptedException);
    assertEquals(RunStatus.KILLED, finishes(kafka).get(0).getStatus());
  }

  @Test
  void shouldFinishAsSucceededWhenTheTrainingBodyReturns() {
    MockProducer<byte[], byte[]> kafka = mockProducer();
    QmonPublisher publisher = publisher(kafka, "p");
    publisher.run(
        spec("run-f"),
        run -> {
          run.publishEpoch(1, new long[] {0}, new long[] {10}, Map.of());
          run.publishEpoch(2, new long[] {1}, new long[] {10}, Map.of());
        });
    RunFinished end = finishes(kafka).get(0);
    assertEquals(RunStatus.SUCCEEDED, end.getStatus());
    assertEquals(2, end.getEpochs());
  }

  @Test
  void shouldCutALongFailureMessage() {
    MockProducer<byte[], byte[]> kafka = mockProducer();
    RunPublisher run = publisher(kafka, "p").startRun(spec("run-g"));
    run.fail(new RuntimeException("x".repeat(5000)));
    assertEquals(RunPublisher.MAX_FAILURE_MESSAGE, finishes(kafka).get(0).getMessage().length());
  }

  private static RunSpec spec(String runId) {
    return RunSpec.builder(runId).qubits(2).shots(10).target("t").build();
  }

  private QmonPublisher publisher(MockProducer<byte[], byte[]> kafka, String producerId) {
    return new QmonPublisher(kafka, registry, producerId, null);
  }

  private static MockProducer<byte[], byte[]> mockProducer() {
    return new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private List<Object> decode(MockProducer<byte[], byte[]> kafka) {
    List<Object> events = new ArrayList<>();
    for (ProducerRecord<byte[], byte[]> record : kafka.history()) {
      Schema schema =
          switch (record.topic()) {
            case Topics.RUNS -> RunEvent.SCHEMA$;
            case Topics.SHOTS -> ShotCounts.SCHEMA$;
            case Topics.STATES -> StateSnapshot.SCHEMA$;
            default -> throw new AssertionError("unexpected topic " + record.topic());
          };
      events.add(new ConfluentAvroSerde<>(registry, schema).deserialize(record.value()));
    }
    return events;
  }

  private List<String> sessions(MockProducer<byte[], byte[]> kafka) {
    return decode(kafka).stream().map(e -> (String) field(e, "producer_session")).toList();
  }

  private List<Long> seqs(MockProducer<byte[], byte[]> kafka) {
    return decode(kafka).stream().map(e -> (Long) field(e, "seq")).toList();
  }

  private static Object field(Object event, String name) {
    org.apache.avro.specific.SpecificRecord record =
        (org.apache.avro.specific.SpecificRecord) event;
    return record.get(record.getSchema().getField(name).pos());
  }

  private List<RunFinished> finishes(MockProducer<byte[], byte[]> kafka) {
    return decode(kafka).stream()
        .filter(e -> e instanceof RunEvent r && r.getPayload() instanceof RunFinished)
        .map(e -> (RunFinished) ((RunEvent) e).getPayload())
        .toList();
  }

  /** A registry in memory: ids by schema, schemas by id. */
  static final class MemoryRegistry implements SchemaRegistry {
    private final Map<Integer, Schema> byId = new ConcurrentHashMap<>();
    private final Map<Schema, Integer> ids = new ConcurrentHashMap<>();
    private final AtomicInteger next = new AtomicInteger(1);

    @Override
    public int register(String subject, Schema schema) {
      return ids.computeIfAbsent(
          schema,
          s -> {
            int id = next.getAndIncrement();
            byId.put(id, s);
            return id;
          });
    }

    @Override
    public Schema schemaById(int id) {
      return byId.get(id);
    }

    @Override
    public void setCompatibility(String subject, String level) {}

    @Override
    public boolean isCompatible(String subject, Schema schema) {
      return true;
    }
  }
}
