package io.qmon.jobs.emit;

import io.qmon.schemas.config.RegistryClientSettings;
import io.qmon.schemas.serde.ConfluentAvroSerde;
import io.qmon.schemas.serde.RestSchemaRegistry;
import java.nio.charset.StandardCharsets;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.flink.util.function.SerializableSupplier;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Utils;

/**
 * Writes records of one Avro type to one topic in the Confluent wire format, with a string key:
 * through Avro's writer, or through a hand-written encoder of the same schema where one exists (the
 * schema id still comes from the registry).
 *
 * <p>A record's partition is its key's, as Kafka's default partitioner chooses it, unless a
 * partition key is given ({@link #partitionedBy}): then every record with the same partition key
 * lands in the same partition, in the order the job wrote it, whatever its own key.
 */
public final class AvroRecordSerializer<T extends SpecificRecord>
    implements KafkaRecordSerializationSchema<T> {
  private static final long serialVersionUID = 1L;

  /** Writes one record's framed bytes given its schema's registry id. */
  public interface FrameEncoder<T> {
    byte[] encode(int schemaId, T record);
  }

  private final String topic;
  private final RegistryClientSettings registry;
  private final String schemaJson;
  private final SerializableFunction<T, String> key;
  private final SerializableSupplier<FrameEncoder<T>> encoderFactory;
  private SerializableFunction<T, String> partitionKey;
  private transient ConfluentAvroSerde<T> serde;
  private transient FrameEncoder<T> encoder;

  public AvroRecordSerializer(
      String topic, String registryUrl, Schema schema, SerializableFunction<T, String> key) {
    this(topic, RegistryClientSettings.of(registryUrl), schema, key, null);
  }

  public AvroRecordSerializer(
      String topic,
      RegistryClientSettings registry,
      Schema schema,
      SerializableFunction<T, String> key) {
    this(topic, registry, schema, key, null);
  }

  /**
   * @param encoderFactory makes the writer's encoder, whose bytes must equal Avro's for {@code
   *     schema}; null for Avro's own writer
   */
  public AvroRecordSerializer(
      String topic,
      RegistryClientSettings registry,
      Schema schema,
      SerializableFunction<T, String> key,
      SerializableSupplier<FrameEncoder<T>> encoderFactory) {
    this.topic = topic;
    this.registry = registry;
    this.schemaJson = schema.toString();
    this.key = key;
    this.encoderFactory = encoderFactory;
  }

  /**
   * Chooses each record's partition from this key (murmur2, as Kafka's default partitioner does for
   * a record key), so records sharing it keep their order for consumers.
   */
  public AvroRecordSerializer<T> partitionedBy(SerializableFunction<T, String> partitionKey) {
    this.partitionKey = partitionKey;
    return this;
  }

  @Override
  public void open(
      SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
    serde =
        new ConfluentAvroSerde<>(
            new RestSchemaRegistry(registry), new Schema.Parser().parse(schemaJson));
    encoder = encoderFactory == null ? null : encoderFactory.get();
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(
      T element, KafkaSinkContext context, Long timestamp) {
    String k = key.apply(element);
    return new ProducerRecord<>(
        topic,
        partitionKey == null ? null : partition(partitionKey.apply(element), context),
        timestamp,
        k == null ? null : k.getBytes(StandardCharsets.UTF_8),
        encoder == null
            ? serde.serialize(topic, element)
            : encoder.encode(serde.schemaId(topic), element));
  }

  private Integer partition(String value, KafkaSinkContext context) {
    int[] partitions = context.getPartitionsForTopic(topic);
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    return partitions[Utils.toPositive(Utils.murmur2(bytes)) % partitions.length];
  }
}
