package io.qmon.producers.sdk;

import io.qmon.schemas.RunEvent;
import io.qmon.schemas.ShotCounts;
import io.qmon.schemas.TargetDistribution;
import io.qmon.schemas.Topics;
import io.qmon.schemas.serde.ConfluentAvroSerde;
import io.qmon.schemas.serde.RestSchemaRegistry;
import io.qmon.schemas.serde.SchemaRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes a training loop's events to qmon: run lifecycle, per-epoch shot counts, targets.
 *
 * <p>Reliable by default: an idempotent producer with {@code acks=all}, so retries neither lose nor
 * duplicate events and each run's events stay in order (all are keyed by run id). Sends are
 * asynchronous; the first failure is kept and thrown by the next call, by {@link #flush()} or by
 * {@link #close()}, so no failure passes silently. Events are validated before they are sent.
 *
 * <pre>{@code
 * try (QmonPublisher publisher = QmonPublisher.builder()
 *     .bootstrapServers("127.0.0.1:9092")
 *     .schemaRegistryUrl("http://127.0.0.1:8081")
 *     .build()) {
 *   RunPublisher run = publisher.startRun(runStarted);
 *   run.publishEpoch(1, qubits, outcomes, counts, Map.of("loss", 0.3));
 *   run.finish(RunStatus.SUCCEEDED, null);
 * }
 * }</pre>
 */
public final class QmonPublisher implements AutoCloseable {
  private final Producer<byte[], byte[]> producer;
  private final String producerId;
  private final ConfluentAvroSerde<RunEvent> runSerde;
  private final ConfluentAvroSerde<ShotCounts> shotSerde;
  private final ConfluentAvroSerde<TargetDistribution> targetSerde;
  private final AtomicReference<Exception> firstFailure = new AtomicReference<>();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong acknowledged = new AtomicLong();

  private QmonPublisher(Builder builder) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, builder.bootstrapServers);
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "qmon-publisher-" + builder.producerId);
    props.putAll(builder.kafkaOverrides);
    this.producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    this.producerId = builder.producerId;
    SchemaRegistry registry =
        builder.registry != null ? builder.registry : new RestSchemaRegistry(builder.registryUrl);
    this.runSerde = new ConfluentAvroSerde<>(registry, RunEvent.SCHEMA$);
    this.shotSerde = new ConfluentAvroSerde<>(registry, ShotCounts.SCHEMA$);
    this.targetSerde = new ConfluentAvroSerde<>(registry, TargetDistribution.SCHEMA$);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Identifies this publisher in every event; (producer id, seq) is unique. */
  public String producerId() {
    return producerId;
  }

  /** Publishes or replaces a target distribution on the compacted targets topic. */
  public void publishTarget(TargetDistribution target) {
    io.qmon.schemas.validation.EventValidator.validate(target)
        .ifPresent(
            r -> {
              throw new IllegalArgumentException("Invalid target: " + r.reason());
            });
    send(Topics.TARGETS, target.getTargetId(), targetSerde.serialize(Topics.TARGETS, target));
  }

  /** Publishes the run's start and returns the handle that publishes its epochs. */
  public RunPublisher startRun(io.qmon.schemas.RunStarted started, String runId) {
    return RunPublisher.start(this, runId, started);
  }

  /** Publishes a run's start under a fresh random run id. */
  public RunPublisher startRun(io.qmon.schemas.RunStarted started) {
    return startRun(started, UUID.randomUUID().toString());
  }

  void send(RunEvent event) {
    send(Topics.RUNS, event.getRunId(), runSerde.serialize(Topics.RUNS, event));
  }

  void send(ShotCounts event) {
    send(Topics.SHOTS, event.getRunId(), shotSerde.serialize(Topics.SHOTS, event));
  }

  private void send(String topic, String key, byte[] value) {
    throwIfFailed();
    sent.incrementAndGet();
    producer.send(
        new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value),
        (metadata, error) -> {
          if (error != null) {
            firstFailure.compareAndSet(
                null,
                new PublishException(
                    "Publishing to " + topic + " for key " + key + " failed: " + error, error));
          } else {
            acknowledged.incrementAndGet();
          }
        });
  }

  /** Events handed to Kafka so far. */
  public long sentCount() {
    return sent.get();
  }

  /** Events Kafka has acknowledged so far. */
  public long acknowledgedCount() {
    return acknowledged.get();
  }

  /** Blocks until every event sent so far is acknowledged, then throws the first failure if any. */
  public void flush() {
    producer.flush();
    throwIfFailed();
  }

  private void throwIfFailed() {
    Exception failure = firstFailure.get();
    if (failure != null) {
      throw failure instanceof PublishException p
          ? p
          : new PublishException("An earlier send failed", failure);
    }
  }

  /** Flushes, then closes the producer; throws the first failure, if any, after closing. */
  @Override
  public void close() {
    try {
      producer.flush();
    } finally {
      producer.close(Duration.ofSeconds(30));
    }
    throwIfFailed();
  }

  /** Configuration of a publisher; every Kafka setting can be overridden. */
  public static final class Builder {
    private String bootstrapServers;
    private String registryUrl;
    private SchemaRegistry registry;
    private String producerId = "producer-" + UUID.randomUUID();
    private final Map<String, Object> kafkaOverrides = new HashMap<>();

    private Builder() {}

    public Builder bootstrapServers(String value) {
      this.bootstrapServers = value;
      return this;
    }

    public Builder schemaRegistryUrl(String value) {
      this.registryUrl = value;
      return this;
    }

    /** Uses this registry client instead of one built from {@link #schemaRegistryUrl}. */
    public Builder schemaRegistry(SchemaRegistry value) {
      this.registry = value;
      return this;
    }

    public Builder producerId(String value) {
      this.producerId = value;
      return this;
    }

    /** Any Kafka producer setting, security settings included; applied last. */
    public Builder kafkaProperty(String key, Object value) {
      kafkaOverrides.put(key, value);
      return this;
    }

    public QmonPublisher build() {
      if (bootstrapServers == null || bootstrapServers.isBlank()) {
        throw new IllegalArgumentException("bootstrapServers must be set");
      }
      if (registry == null && (registryUrl == null || registryUrl.isBlank())) {
        throw new IllegalArgumentException("schemaRegistryUrl must be set");
      }
      if (producerId == null || producerId.isBlank()) {
        throw new IllegalArgumentException("producerId must not be blank");
      }
      return new QmonPublisher(this);
    }
  }
}
