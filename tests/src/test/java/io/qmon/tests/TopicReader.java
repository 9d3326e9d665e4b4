package io.qmon.tests;

import io.qmon.schemas.serde.ConfluentAvroSerde;
import io.qmon.schemas.serde.SchemaRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a topic from the beginning with the Confluent serde, as a {@code read_committed} consumer
 * in a group of its own, until a condition holds or the timeout passes.
 */
public final class TopicReader {
  private TopicReader() {}

  public static <T extends SpecificRecord> List<T> readUntil(
      String bootstrapServers,
      SchemaRegistry registry,
      String topic,
      Schema schema,
      Predicate<List<T>> done,
      Duration timeout) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    ConfluentAvroSerde<T> serde = new ConfluentAvroSerde<>(registry, schema);
    List<T> records = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      while (!done.test(records) && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          records.add(serde.deserialize(record.value()));
        }
      }
    }
    return records;
  }
}
