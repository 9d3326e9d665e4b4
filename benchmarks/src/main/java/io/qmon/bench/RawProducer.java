package io.qmon.bench;

import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A plain Kafka producer of pre-serialized records, tuned for throughput with the same guarantees
 * as the SDK (acks=all, idempotent): lz4 and large batches. Every send has a callback; the first
 * failure is rethrown by {@link #flush()}, so nothing is lost without the benchmark knowing.
 */
final class RawProducer implements AutoCloseable {
  private final KafkaProducer<byte[], byte[]> producer;
  private final AtomicReference<Exception> failure = new AtomicReference<>();
  private final AtomicLong acknowledged = new AtomicLong();
  private final Callback callback =
      (metadata, e) -> {
        if (e != null) {
          failure.compareAndSet(null, e);
        } else {
          acknowledged.incrementAndGet();
        }
      };

  RawProducer(String bootstrapServers, String clientId) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 256L * 1024 * 1024);
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 * 1024 * 1024);
    producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }

  void send(ProducerRecord<byte[], byte[]> record) {
    producer.send(record, callback);
  }

  /** Sends every event as fast as the producer accepts them, each stamped when it is sent. */
  void sendAll(String topic, List<PreparedEvent> events) {
    for (PreparedEvent event : events) {
      sendStamped(topic, event);
    }
  }

  /**
   * Sends the events on a fixed schedule of {@code rate} per second (open loop: a late event is
   * sent at once, so a stall shows up as latency rather than as a lower rate).
   */
  void sendPaced(String topic, List<PreparedEvent> events, int rate) {
    long start = System.nanoTime();
    double intervalNanos = TimeUnit.SECONDS.toNanos(1) / (double) rate;
    for (int i = 0; i < events.size(); i++) {
      long due = start + (long) (i * intervalNanos);
      long wait;
      while ((wait = due - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait);
      }
      sendStamped(topic, events.get(i));
    }
  }

  private void sendStamped(String topic, PreparedEvent event) {
    long now = System.currentTimeMillis();
    producer.send(
        new ProducerRecord<>(topic, null, now, event.key(), event.stampedValue(now)), callback);
  }

  /** Waits for every send to be acknowledged; throws the first failure. */
  void flush() {
    producer.flush();
    Exception e = failure.get();
    if (e != null) {
      throw new IllegalStateException(
          "Publishing failed after " + acknowledged.get() + " acknowledged records: " + e, e);
    }
  }

  @Override
  public void close() {
    producer.close();
  }
}
