package io.qmon.sink.kafka;

import io.qmon.schemas.Topics;
import io.qmon.schemas.serde.ConfluentAvroSerde;
import io.qmon.schemas.serde.SchemaRegistry;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/**
 * Decodes the value of a record from any qmon topic into its generated Avro class, by the topic's
 * schema in {@link Topics#VALUE_SCHEMAS}. Thread-safe.
 */
public final class TopicDecoder {
  private final Map<String, ConfluentAvroSerde<SpecificRecord>> serdes = new HashMap<>();

  public TopicDecoder(SchemaRegistry registry) {
    Topics.VALUE_SCHEMAS.forEach(
        (topic, schema) -> serdes.put(topic, new ConfluentAvroSerde<>(registry, schema)));
  }

  /**
   * The decoded value.
   *
   * @throws io.qmon.schemas.serde.WireFormatException when the bytes are not a readable record
   * @throws IllegalArgumentException for a topic qmon does not know
   */
  public SpecificRecord decode(String topic, byte[] value) {
    ConfluentAvroSerde<SpecificRecord> serde = serdes.get(topic);
    if (serde == null) {
      throw new IllegalArgumentException("No value schema for topic '" + topic + "'");
    }
    return serde.deserialize(value);
  }
}
