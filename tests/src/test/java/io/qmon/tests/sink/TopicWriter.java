package io.qmon.tests.sink;

import io.qmon.schemas.Topics;
import io.qmon.schemas.serde.ConfluentAvroSerde;
import io.qmon.schemas.serde.SchemaRegistry;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Writes Avro records to qmon topics in the Confluent wire format, waiting for each ack. */
final class TopicWriter implements AutoCloseable {
  private final KafkaProducer<byte[], byte[]> producer;
  private final Map<String, ConfluentAvroSerde<SpecificRecord>> serdes = new HashMap<>();

  TopicWriter(String bootstrapServers, SchemaRegistry registry) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    Topics.VALUE_SCHEMAS.forEach(
        (topic, schema) -> serdes.put(topic, new ConfluentAvroSerde<>(registry, schema)));
  }

  void send(String topic, String key, SpecificRecord value)
      throws InterruptedException, ExecutionException {
    sendAsync(topic, key, value).get();
  }

  java.util.concurrent.Future<?> sendAsync(String topic, String key, SpecificRecord value) {
    byte[] bytes = serdes.get(topic).serialize(topic, value);
    return producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), bytes));
  }

  /** Sends raw bytes, e.g. a record no serde can read. */
  void sendRaw(String topic, String key, byte[] value)
      throws InterruptedException, ExecutionException {
    producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value)).get();
  }

  void flush() {
    producer.flush();
  }

  @Override
  public void close() {
    producer.close();
  }
}
