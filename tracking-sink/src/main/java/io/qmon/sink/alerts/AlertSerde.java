package io.qmon.sink.alerts;

import io.qmon.schemas.Alert;
import io.qmon.schemas.Topics;
import io.qmon.schemas.serde.ConfluentAvroSerde;
import io.qmon.schemas.serde.SchemaRegistry;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** Kafka Streams serde of {@link Alert} in the Confluent wire format. */
public final class AlertSerde implements Serde<Alert> {
  private final ConfluentAvroSerde<Alert> serde;

  public AlertSerde(SchemaRegistry registry) {
    this.serde = new ConfluentAvroSerde<>(registry, Alert.SCHEMA$);
  }

  @Override
  public Serializer<Alert> serializer() {
    return (topic, alert) -> serde.serialize(topic == null ? Topics.ALERTS : topic, alert);
  }

  @Override
  public Deserializer<Alert> deserializer() {
    return (topic, bytes) -> serde.deserialize(bytes);
  }
}
