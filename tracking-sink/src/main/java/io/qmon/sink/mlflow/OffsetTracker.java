package io.qmon.sink.mlflow;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which offsets may be committed: a record is outstanding from the moment it is handed to the
 * writer until MLflow accepted what it carries (or it needed no write). The committable offset of a
 * partition is its oldest outstanding offset, or one past the newest seen when none is outstanding,
 * so a restart replays everything not yet in MLflow. Thread-safe.
 */
final class OffsetTracker {
  private final Map<TopicPartition, TreeSet<Long>> outstanding = new HashMap<>();
  private final Map<TopicPartition, Long> nextOffset = new HashMap<>();

  synchronized void begin(TopicPartition partition, long offset) {
    outstanding.computeIfAbsent(partition, p -> new TreeSet<>()).add(offset);
    nextOffset.merge(partition, offset + 1, Math::max);
  }

  synchronized void complete(TopicPartition partition, long offset) {
    TreeSet<Long> offsets = outstanding.get(partition);
    if (offsets != null) {
      offsets.remove(offset);
    }
  }

  /** Offsets to commit now, per partition seen. */
  synchronized Map<TopicPartition, OffsetAndMetadata> committable() {
    Map<TopicPartition, OffsetAndMetadata> result = new HashMap<>();
    nextOffset.forEach(
        (partition, next) -> {
          TreeSet<Long> offsets = outstanding.get(partition);
          long offset = offsets == null || offsets.isEmpty() ? next : offsets.first();
          result.put(partition, new OffsetAndMetadata(offset));
        });
    return result;
  }

  /** Forgets a partition this consumer no longer owns. */
  synchronized void forget(TopicPartition partition) {
    outstanding.remove(partition);
    nextOffset.remove(partition);
  }

  synchronized int outstandingCount() {
    return outstanding.values().stream().mapToInt(TreeSet::size).sum();
  }
}
