package io.qmon.jobs.functions;

import io.qmon.schemas.serde.ConfluentAvroSerde;
import io.qmon.schemas.serde.RestSchemaRegistry;
import java.nio.charset.StandardCharsets;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Writes records of one Avro type to one topic in the Confluent wire format, with a string key. */
public final class AvroRecordSerializer<T extends SpecificRecord>
    implements KafkaRecordSerializationSchema<T> {
  private static final long serialVersionUID = 1L;

  private final String topic;
  private final String registryUrl;
  private final String schemaJson;
  private final SerializableFunction<T, String> key;
  private transient ConfluentAvroSerde<T> serde;

  public AvroRecordSerializer(
      String topic, String registryUrl, Schema schema, SerializableFunction<T, String> key) {
    this.topic = topic;
    this.registryUrl = registryUrl;
    this.schemaJson = schema.toString();
    this.key = key;
  }

  @Override
  public void open(
      SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
    serde =
        new ConfluentAvroSerde<>(
            new RestSchemaRegistry(registryUrl), new Schema.Parser().parse(schemaJson));
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(
      T element, KafkaSinkContext context, Long timestamp) {
    String k = key.apply(element);
    return new ProducerRecord<>(
        topic,
        null,
        timestamp,
        k == null ? null : k.getBytes(StandardCharsets.UTF_8),
        serde.serialize(topic, element));
  }
}
