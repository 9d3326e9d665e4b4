package io.qmon.sink.mlflow;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Lets a caller wait until one consumer thread has handled everything on its topics at the time of
 * the call: on a request, the consumer thread takes the end offsets of its assignment (a fresh
 * broker call, so a record committed before the request is counted; the consumer's isolation level
 * applies), then reports done once its position reached them and its own work is finished.
 * Consumers are single-threaded, so the caller never touches the consumer; only {@link #check}
 * does, from the consumer thread.
 */
final class CatchUp {
  private volatile CountDownLatch requested;
  private Map<TopicPartition, Long> target;

  /**
   * Asks the consumer thread to catch up and waits for it.
   *
   * @return true when it caught up, false when the timeout passed first
   */
  boolean await(Duration timeout) throws InterruptedException {
    CountDownLatch latch;
    synchronized (this) {
      if (requested == null) {
        requested = new CountDownLatch(1);
      }
      latch = requested;
    }
    return latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Called by the consumer thread after it handed on a poll's records: releases the waiting caller
   * when the position reached the end offsets taken after the request and {@code workDone} holds.
   */
  void check(Consumer<?, ?> consumer, BooleanSupplier workDone) {
    CountDownLatch latch = requested;
    if (latch == null) {
      return;
    }
    Set<TopicPartition> assigned = consumer.assignment();
    if (assigned.isEmpty()) {
      // Not joined yet: an empty assignment would be "caught up" with nothing read.
      return;
    }
    if (target == null || !target.keySet().equals(assigned)) {
      target = consumer.endOffsets(assigned);
    }
    for (Map.Entry<TopicPartition, Long> end : target.entrySet()) {
      if (consumer.position(end.getKey()) < end.getValue()) {
        return;
      }
    }
    if (!workDone.getAsBoolean()) {
      return;
    }
    target = null;
    synchronized (this) {
      if (requested == latch) {
        requested = null;
      }
    }
    latch.countDown();
  }
}
