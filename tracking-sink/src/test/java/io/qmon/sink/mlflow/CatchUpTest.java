package io.qmon.sink.mlflow;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * A caller waiting on a consumer thread, the thread played by the test over Kafka's MockConsumer.
 */
class CatchUpTest {
  private final TopicPartition partition = new TopicPartition("qgm.metrics", 0);
  private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
  private final CatchUp catchUp = new CatchUp();

  @Test
  void shouldReleaseTheCallerOnlyOnceThePositionReachedTheEndAtTheRequestAndTheWorkIsDone()
      throws Exception {
    consumer.assign(List.of(partition));
    consumer.updateBeginningOffsets(Map.of(partition, 0L));
    consumer.updateEndOffsets(Map.of(partition, 3L));
    consumer.seek(partition, 0);

    CompletableFuture<Boolean> caughtUp = waiter();
    checkFor(200, true);
    assertFalse(caughtUp.isDone(), "position 0 of 3");

    consumer.seek(partition, 3);
    checkFor(200, false);
    assertFalse(caughtUp.isDone(), "read to the end but its work not done");

    checkFor(200, true);
    assertTrue(caughtUp.get(5, TimeUnit.SECONDS));

    // A later request takes the end offsets again: two more records arrived meanwhile.
    consumer.updateEndOffsets(Map.of(partition, 5L));
    CompletableFuture<Boolean> again = waiter();
    checkFor(200, true);
    assertFalse(again.isDone(), "position 3 of 5");
    consumer.seek(partition, 5);
    checkFor(200, true);
    assertTrue(again.get(5, TimeUnit.SECONDS));
  }

  @Test
  void shouldNotCountAConsumerWithNoPartitionsYetAsCaughtUp() throws Exception {
    CompletableFuture<Boolean> caughtUp = waiter();
    checkFor(200, true);
    assertFalse(caughtUp.isDone(), "nothing assigned yet");
  }

  @Test
  void shouldTellTheCallerWhenTheTimeoutPassedFirst() throws Exception {
    assertFalse(catchUp.await(Duration.ofMillis(50)));
  }

  private CompletableFuture<Boolean> waiter() {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return catchUp.await(Duration.ofSeconds(30));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
          }
        });
  }

  /** The consumer thread's loop: a check every 10 ms for the given time. */
  private void checkFor(long millis, boolean workDone) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (System.nanoTime() < deadline) {
      catchUp.check(consumer, () -> workDone);
      Thread.sleep(10);
    }
  }
}
