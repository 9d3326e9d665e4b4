package io.qmon.sink.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {
  private final TopicPartition metrics = new TopicPartition("qgm.metrics", 0);
  private final OffsetTracker tracker = new OffsetTracker();

  @Test
  void shouldCommitOnlyUpToTheOldestOutstandingRecord() {
    tracker.begin(metrics, 10);
    tracker.begin(metrics, 11);
    tracker.begin(metrics, 12);
    tracker.complete(metrics, 11);
    tracker.complete(metrics, 12);
    assertEquals(10, tracker.committable().get(metrics).offset());
    tracker.complete(metrics, 10);
    assertEquals(13, tracker.committable().get(metrics).offset());
    assertEquals(0, tracker.outstandingCount());
  }

  @Test
  void shouldForgetRevokedPartitions() {
    tracker.begin(metrics, 1);
    tracker.forget(metrics);
    assertEquals(0, tracker.committable().size());
  }
}
