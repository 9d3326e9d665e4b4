package io.qmon.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The ceiling end-to-end throughput is compared with: the same records, produced with the same
 * producer settings to a scratch topic on the same broker and consumed back, with no processing in
 * between.
 */
final class KafkaCeiling {
  private KafkaCeiling() {}

  /** Result of one produce+consume pass. */
  record Result(int records, double seconds) {
    double eventsPerSecond() {
      return records / seconds;
    }
  }

  static Result measure(
      String bootstrapServers, List<PreparedEvent> events, int partitions, Duration timeout)
      throws InterruptedException {
    String topic = "qmon.bench.ceiling-" + UUID.randomUUID().toString().substring(0, 8);
    createTopic(bootstrapServers, topic, partitions);
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrapServers);
        RawProducer producer = new RawProducer(bootstrapServers, "qmon-bench-ceiling")) {
      List<TopicPartition> assigned = new ArrayList<>();
      for (int p = 0; p < partitions; p++) {
        assigned.add(new TopicPartition(topic, p));
      }
      consumer.assign(assigned);
      consumer.seekToBeginning(assigned);
      assigned.forEach(p -> consumer.position(p, Duration.ofSeconds(30)));
      long start = System.nanoTime();
      CompletableFuture<Void> sent =
          CompletableFuture.runAsync(
              () -> {
                producer.sendAll(topic, events);
                producer.flush();
              });
      int consumed = 0;
      long deadline = start + timeout.toNanos();
      while (consumed < events.size()
          && System.nanoTime() < deadline
          && !sent.isCompletedExceptionally()) {
        consumed += consumer.poll(Duration.ofMillis(100)).count();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      sent.join();
      if (consumed < events.size()) {
        throw new IllegalStateException(
            "Ceiling run read " + consumed + " of " + events.size() + " records in " + timeout);
      }
      return new Result(consumed, seconds);
    }
  }

  private static KafkaConsumer<byte[], byte[]> consumer(String bootstrapServers) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
    return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private static void createTopic(String bootstrapServers, String topic, int partitions) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    try (Admin admin = Admin.create(props)) {
      admin
          .createTopics(List.of(new NewTopic(topic, partitions, (short) 1).configs(Map.of())))
          .all()
          .get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while creating " + topic, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Creating the scratch topic " + topic + " failed", e);
    }
  }
}
