package io.qmon.producers.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qmon.schemas.TargetDistribution;
import io.qmon.schemas.serde.SchemaRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.apache.avro.Schema;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The publisher without a broker: refused input never reaches Kafka nor advances the sequence, and
 * a send that Kafka cannot complete surfaces through the future, the listener and close().
 */
class RunPublisherTest {

  @Test
  void shouldRefuseBadEpochWithoutAdvancingSequenceAndSurfaceUnreachableBroker() throws Exception {
    List<PublishException> heard = new CopyOnWriteArrayList<>();
    QmonPublisher publisher =
        QmonPublisher.builder()
            .bootstrapServers("127.0.0.1:1")
            .schemaRegistry(new FixedIdRegistry())
            .maxBlock(Duration.ofMillis(200))
            .onFailure(heard::add)
            .build();
    RunPublisher run = publisher.startRun(RunSpec.of("run-1", EventChecksTest.started(2, 10, "t")));
    assertEquals(1, run.nextSeq());

    assertThrows(
        InvalidEventException.class,
        () -> run.publishEpoch(1, new long[] {0, 4}, new long[] {5, 5}, Map.of()));
    assertEquals(1, run.nextSeq(), "a refused epoch takes no sequence number");
    assertEquals(0, run.epochs());

    PublishException closed = assertThrows(PublishException.class, publisher::close);
    assertInstanceOf(TimeoutException.class, closed.getCause());
    assertEquals(1, heard.size(), "the listener hears the failed start event once");
    assertEquals(1, publisher.failedCount());
    assertTrue(closed.getMessage().contains("qgm.runs for key run-1"), closed.getMessage());
  }

  @Test
  void shouldFailTheFutureAndThenEveryLaterCall() {
    QmonPublisher publisher =
        QmonPublisher.builder()
            .bootstrapServers("127.0.0.1:1")
            .schemaRegistry(new FixedIdRegistry())
            .maxBlock(Duration.ofMillis(100))
            .build();
    CompletableFuture<RecordMetadata> target = publisher.publishTarget(target());
    ExecutionException e = assertThrows(ExecutionException.class, target::get);
    assertInstanceOf(PublishException.class, e.getCause());
    PublishException next =
        assertThrows(
            PublishException.class,
            () -> publisher.startRun(RunSpec.of("run-2", EventChecksTest.started(2, 10, "t"))));
    assertTrue(next.getMessage().contains("qgm.targets for key t"), next.getMessage());
    assertThrows(PublishException.class, publisher::flush);
    assertThrows(PublishException.class, publisher::close);
  }

  private static TargetDistribution target() {
    return TargetDistribution.newBuilder()
        .setTargetId("t")
        .setQubits(1)
        .setDescription("half")
        .setOutcomes(List.of(0L, 1L))
        .setProbabilities(List.of(0.5, 0.5))
        .setUpdatedTime(Instant.now())
        .build();
  }

  /** Answers every registration with id 1: enough to frame events without a registry server. */
  static final class FixedIdRegistry implements SchemaRegistry {
    @Override
    public int register(String subject, Schema schema) {
      return 1;
    }

    @Override
    public Schema schemaById(int id) {
      throw new UnsupportedOperationException("publishing only");
    }

    @Override
    public void setCompatibility(String subject, String level) {}

    @Override
    public boolean isCompatible(String subject, Schema schema) {
      return true;
    }
  }
}
