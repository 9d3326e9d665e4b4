package io.qmon.tests.producers;

import io.qmon.schemas.serde.ConfluentAvroSerde;
import io.qmon.schemas.serde.SchemaRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * Reads a topic from the beginning and groups its records by key in log order (one key lives in one
 * partition, so that is the order the broker holds them in). After the condition first holds it
 * keeps polling for {@code settle}, so duplicates that arrive late are seen too.
 *
 * <p>Input topics of a shared stack also hold other tests' deliberately undecodable events: a
 * reader of an input topic names the keys it wants, and only their records are decoded.
 */
public final class KeyedTopicReader {
  private KeyedTopicReader() {}

  public static <T extends SpecificRecord> Map<String, List<T>> readByKey(
      String bootstrapServers,
      SchemaRegistry registry,
      String topic,
      Schema schema,
      Predicate<Map<String, List<T>>> done,
      Duration timeout,
      Duration settle) {
    return readByKey(bootstrapServers, registry, topic, schema, key -> true, done, timeout, settle);
  }

  /** Like the other, decoding and keeping only the records whose key {@code keep} accepts. */
  public static <T extends SpecificRecord> Map<String, List<T>> readByKey(
      String bootstrapServers,
      SchemaRegistry registry,
      String topic,
      Schema schema,
      Predicate<String> keep,
      Predicate<Map<String, List<T>>> done,
      Duration timeout,
      Duration settle) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    ConfluentAvroSerde<T> serde = new ConfluentAvroSerde<>(registry, schema);
    Map<String, List<T>> byKey = new LinkedHashMap<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    long settleUntil = Long.MAX_VALUE;
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      while (System.nanoTime() < Math.min(deadline, settleUntil)) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          // Records without a key (dead letters of undecodable input) are grouped under "".
          String key = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
          if (!keep.test(key)) {
            continue;
          }
          byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(serde.deserialize(record.value()));
        }
        if (settleUntil == Long.MAX_VALUE && done.test(byKey)) {
          settleUntil = System.nanoTime() + settle.toNanos();
        }
      }
    }
    return byKey;
  }
}
