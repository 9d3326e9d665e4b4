package io.qmon.producers.sdk;

import io.qmon.schemas.Advice;
import io.qmon.schemas.Topics;
import io.qmon.schemas.serde.ConfluentAvroSerde;
import io.qmon.schemas.serde.SchemaRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads qgm.advice for one run on a daemon thread: every partition from shortly before the run
 * started (Kafka's offsets-for-times), records keyed by the run id decoded and handed to its {@link
 * RunAdvice}. Started by the run on first use, closed when the run finishes.
 */
final class AdviceReader implements AutoCloseable {
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);

  private final RunAdvice advice;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final ConfluentAvroSerde<Advice> serde;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final Thread thread;

  AdviceReader(
      RunAdvice advice, Map<String, Object> consumerConfig, SchemaRegistry registry, long sinceMs) {
    this.advice = advice;
    this.serde = new ConfluentAvroSerde<>(registry, Advice.SCHEMA$);
    Map<String, Object> config = new HashMap<>(consumerConfig);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "qmon-advice-" + advice.runId());
    this.consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    try {
      List<PartitionInfo> partitions = consumer.partitionsFor(Topics.ADVICE, METADATA_TIMEOUT);
      if (partitions == null || partitions.isEmpty()) {
        throw new IllegalStateException("topic " + Topics.ADVICE + " has no partitions");
      }
      Map<TopicPartition, Long> since = new HashMap<>();
      partitions.forEach(p -> since.put(new TopicPartition(p.topic(), p.partition()), sinceMs));
      consumer.assign(since.keySet());
      Map<TopicPartition, OffsetAndTimestamp> offsets =
          consumer.offsetsForTimes(since, METADATA_TIMEOUT);
      for (TopicPartition partition : since.keySet()) {
        OffsetAndTimestamp at = offsets.get(partition);
        if (at == null) {
          // Nothing at or after the run's start yet: what comes next is the run's.
          consumer.seekToEnd(List.of(partition));
        } else {
          consumer.seek(partition, at.offset());
        }
      }
    } catch (RuntimeException e) {
      consumer.close();
      throw e;
    }
    this.thread = new Thread(this::loop, "qmon-advice-" + advice.runId());
    thread.setDaemon(true);
  }

  AdviceReader start() {
    thread.start();
    return this;
  }

  private boolean started() {
    return thread.getState() != Thread.State.NEW;
  }

  private void loop() {
    byte[] key = advice.runId().getBytes(StandardCharsets.UTF_8);
    try {
      while (!stopping.get()) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
          if (record.key() != null && Arrays.equals(key, record.key())) {
            advice.accept(serde.deserialize(record.value()));
          }
        }
      }
    } catch (WakeupException closing) {
      if (!stopping.get()) {
        advice.fail(new IllegalStateException("advice reader woken up unexpectedly", closing));
      }
    } catch (RuntimeException e) {
      advice.fail(
          new IllegalStateException("run " + advice.runId() + ": reading advice failed", e));
    } finally {
      consumer.close();
    }
  }

  @Override
  public void close() {
    stopping.set(true);
    if (!started()) {
      consumer.close();
      return;
    }
    consumer.wakeup();
    if (Thread.currentThread() == thread) {
      // A listener that finishes the run: the loop ends after this record and closes the consumer.
      return;
    }
    try {
      thread.join(Duration.ofSeconds(10).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
