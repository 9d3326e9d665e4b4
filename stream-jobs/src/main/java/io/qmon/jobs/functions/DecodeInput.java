package io.qmon.jobs.functions;

import io.qmon.jobs.records.DeadLetters;
import io.qmon.jobs.records.InputEvent;
import io.qmon.schemas.RunEvent;
import io.qmon.schemas.ShotCounts;
import io.qmon.schemas.StateSnapshot;
import io.qmon.schemas.TargetDistribution;
import io.qmon.schemas.Topics;
import io.qmon.schemas.config.RegistryClientSettings;
import io.qmon.schemas.serde.AvroLimits;
import io.qmon.schemas.serde.ConfluentAvroSerde;
import io.qmon.schemas.serde.RestSchemaRegistry;
import io.qmon.schemas.serde.SchemaRegistry;
import io.qmon.schemas.serde.WireFormatException;
import java.io.IOException;
import java.time.Instant;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.flink.util.function.SerializableSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Decodes Confluent-framed Avro records from the input topics into {@link InputEvent}s.
 *
 * <p>Never drops a record: bytes that cannot be read become a dead letter carrying the raw bytes
 * (capped, {@link DeadLetters#MAX_EMBEDDED_BYTES}) and the reason: a bad frame, an unknown or
 * foreign schema id, Avro that does not decode or declares more than Avro's limits allow ({@link
 * AvroLimits}, installed here before the first record is read), and a schema id the registry fails
 * for while it answers other requests ({@code REGISTRY_UNAVAILABLE}). A registry that cannot be
 * reached at all is different: that is not the record's fault, so it fails the read and the job
 * restarts from its last checkpoint instead of dead-lettering.
 */
public final class DecodeInput implements KafkaRecordDeserializationSchema<InputEvent> {
  private static final long serialVersionUID = 1L;

  private final RegistryClientSettings registry;
  private final SerializableSupplier<Instant> clock;
  private transient ConfluentAvroSerde<RunEvent> runs;
  private transient ConfluentAvroSerde<ShotCounts> shots;
  private transient ConfluentAvroSerde<StateSnapshot> states;
  private transient ConfluentAvroSerde<TargetDistribution> targets;

  public DecodeInput(String registryUrl) {
    this(RegistryClientSettings.of(registryUrl));
  }

  /** Reads schemas from the registry with the settings' credentials and trust. */
  public DecodeInput(RegistryClientSettings registry) {
    this(registry, Instant::now);
  }

  /**
   * As above, with the clock that stamps dead letters of unreadable records (a deserializer has no
   * processing-time service of its own).
   */
  public DecodeInput(RegistryClientSettings registry, SerializableSupplier<Instant> clock) {
    this.registry = registry;
    this.clock = clock;
  }

  @Override
  public void open(
      org.apache.flink.api.common.serialization.DeserializationSchema.InitializationContext
          context) {
    // Avro reads its limits once per JVM (or class loader): set them before any decoder exists.
    AvroLimits.install();
    SchemaRegistry client = new RestSchemaRegistry(registry);
    runs = new ConfluentAvroSerde<>(client, RunEvent.SCHEMA$);
    shots = new ConfluentAvroSerde<>(client, ShotCounts.SCHEMA$);
    states = new ConfluentAvroSerde<>(client, StateSnapshot.SCHEMA$);
    targets = new ConfluentAvroSerde<>(client, TargetDistribution.SCHEMA$);
  }

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<InputEvent> out)
      throws IOException {
    InputEvent event;
    try {
      event = decode(record.topic(), record.value());
    } catch (WireFormatException e) {
      event =
          InputEvent.of(
              DeadLetters.undecodable(
                  record.topic(),
                  record.partition(),
                  record.offset(),
                  record.key(),
                  record.value(),
                  e.errorType().name(),
                  e.getMessage(),
                  clock.get()));
    }
    out.collect(event.from(record.topic(), record.partition(), record.offset()));
  }

  private InputEvent decode(String topic, byte[] value) {
    switch (topic) {
      case Topics.RUNS:
        return InputEvent.of(runs.deserialize(value));
      case Topics.SHOTS:
        return InputEvent.of(shots.deserialize(value));
      case Topics.STATES:
        return InputEvent.of(states.deserialize(value));
      case Topics.TARGETS:
        return InputEvent.of(targets.deserialize(value));
      default:
        throw new IllegalStateException("DecodeInput does not read topic " + topic);
    }
  }

  @Override
  public TypeInformation<InputEvent> getProducedType() {
    return TypeInformation.of(InputEvent.class);
  }
}
