package io.qmon.producers.sdk;

import io.qmon.schemas.serde.RestSchemaRegistry;
import io.qmon.schemas.serde.SchemaRegistry;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Configures a {@link QmonPublisher}. The Kafka side is one property map that starts from qmon's
 * reliable defaults; each typed setter and each {@link #kafkaProperty} writes into it, and the last
 * write wins, so every Kafka producer setting (security included) can be overridden.
 *
 * <p>Defaults: {@code enable.idempotence=true}, {@code acks=all}, {@code linger.ms=5}, {@code
 * batch.size=65536}, {@code compression.type=lz4}, {@code max.in.flight.requests.per.connection=5}
 * (the most idempotence allows while keeping order); Kafka's own defaults for the rest ({@code
 * buffer.memory} 32 MiB, {@code max.block.ms} 60 s, {@code request.timeout.ms} 30 s, {@code
 * delivery.timeout.ms} 120 s).
 */
public final class QmonPublisherBuilder {
  private final Map<String, Object> kafka = new LinkedHashMap<>();
  private String registryUrl;
  private Duration registryTimeout = Duration.ofSeconds(10);
  private SchemaRegistry registry;
  private String producerId = "producer-" + UUID.randomUUID();
  private Consumer<PublishException> failureListener;
  private boolean captureEnvironment = true;

  QmonPublisherBuilder() {
    kafka.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    kafka.put(ProducerConfig.ACKS_CONFIG, "all");
    kafka.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    kafka.put(ProducerConfig.BATCH_SIZE_CONFIG, 65536);
    kafka.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    kafka.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
  }

  /**
   * Reads the settings the Python SDK reads, from the process environment: {@code
   * QMON_BOOTSTRAP_SERVERS} (above {@code QMON_KAFKA_BOOTSTRAP_SERVERS}, the job's name for it),
   * {@code QMON_SCHEMA_REGISTRY_URL}, {@code QMON_PRODUCER_ID}, {@code QMON_CAPTURE_ENV}
   * (0/false/no/off: no {@link RunEnvironment} on runs), {@code QMON_KAFKA_PROPERTIES} (a client
   * properties file) and {@code QMON_KAFKA_<KEY>} (one producer setting, lower-cased with {@code _}
   * read as {@code .}, e.g. {@code QMON_KAFKA_SECURITY_PROTOCOL=SASL_SSL}). Variables that are not
   * set change nothing; later setters override them.
   *
   * @throws IllegalArgumentException naming the variable when the properties file is unreadable
   */
  public QmonPublisherBuilder fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  /** {@link #fromEnvironment()} over a given map of variables. */
  public QmonPublisherBuilder fromEnvironment(Map<String, String> env) {
    String file = env.get("QMON_KAFKA_PROPERTIES");
    if (file != null && !file.isBlank()) {
      Properties properties = new Properties();
      try (java.io.Reader in = java.nio.file.Files.newBufferedReader(java.nio.file.Path.of(file))) {
        properties.load(in);
      } catch (java.io.IOException e) {
        throw new IllegalArgumentException(
            "QMON_KAFKA_PROPERTIES: cannot read " + file + ": " + e.getMessage(), e);
      }
      kafkaProperties(properties);
    }
    env.entrySet().stream()
        .filter(e -> e.getKey().startsWith("QMON_KAFKA_"))
        .filter(e -> !e.getKey().equals("QMON_KAFKA_PROPERTIES"))
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e ->
                kafkaProperty(
                    e.getKey()
                        .substring("QMON_KAFKA_".length())
                        .toLowerCase(java.util.Locale.ROOT)
                        .replace('_', '.'),
                    e.getValue()));
    if (env.get("QMON_BOOTSTRAP_SERVERS") != null) {
      bootstrapServers(env.get("QMON_BOOTSTRAP_SERVERS"));
    }
    if (env.get("QMON_SCHEMA_REGISTRY_URL") != null) {
      schemaRegistryUrl(env.get("QMON_SCHEMA_REGISTRY_URL"));
    }
    if (env.get("QMON_PRODUCER_ID") != null) {
      producerId(env.get("QMON_PRODUCER_ID"));
    }
    if (env.get(RunEnvironment.CAPTURE_ENV) != null) {
      captureEnvironment(RunEnvironment.enabled(env));
    }
    return this;
  }

  /**
   * Whether runs carry git, user, host and version tags and {@code environment.txt} ({@link
   * RunEnvironment}; default true, {@code QMON_CAPTURE_ENV=0} through {@link #fromEnvironment()}).
   */
  public QmonPublisherBuilder captureEnvironment(boolean capture) {
    this.captureEnvironment = capture;
    return this;
  }

  /** {@code bootstrap.servers}: where the brokers are (required). */
  public QmonPublisherBuilder bootstrapServers(String value) {
    return kafkaProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, value);
  }

  /**
   * Base URL of a Confluent-API schema registry (Confluent, Karapace, or Apicurio's {@code
   * /apis/ccompat/v7}); required unless {@link #schemaRegistry} is given.
   */
  public QmonPublisherBuilder schemaRegistryUrl(String value) {
    this.registryUrl = value;
    return this;
  }

  /** Connect and request timeout of registry calls (default 10 s). */
  public QmonPublisherBuilder schemaRegistryTimeout(Duration value) {
    this.registryTimeout = value;
    return this;
  }

  /**
   * A registry client to use instead of one built from {@link #schemaRegistryUrl}: the way to add
   * registry authentication or TLS settings that the plain REST client does not have.
   */
  public QmonPublisherBuilder schemaRegistry(SchemaRegistry value) {
    this.registry = value;
    return this;
  }

  /** Names this publisher in every event; (producer_id, producer_session, seq) identifies one. */
  public QmonPublisherBuilder producerId(String value) {
    this.producerId = value;
    return this;
  }

  /** {@code client.id} (default {@code qmon-publisher-<producerId>}). */
  public QmonPublisherBuilder clientId(String value) {
    return kafkaProperty(ProducerConfig.CLIENT_ID_CONFIG, value);
  }

  /**
   * {@code buffer.memory}: bytes of events waiting to be sent. When it is full, a publish call
   * blocks for up to {@link #maxBlock}; then that event fails with a {@link PublishException}.
   */
  public QmonPublisherBuilder bufferMemory(long bytes) {
    return kafkaProperty(ProducerConfig.BUFFER_MEMORY_CONFIG, bytes);
  }

  /** {@code max.block.ms}: how long a publish call may block on a full buffer or on metadata. */
  public QmonPublisherBuilder maxBlock(Duration value) {
    return kafkaProperty(ProducerConfig.MAX_BLOCK_MS_CONFIG, value.toMillis());
  }

  /** {@code linger.ms}: how long to wait for more events to fill a batch. */
  public QmonPublisherBuilder linger(Duration value) {
    return kafkaProperty(ProducerConfig.LINGER_MS_CONFIG, value.toMillis());
  }

  /** {@code batch.size} in bytes per partition. */
  public QmonPublisherBuilder batchSize(int bytes) {
    return kafkaProperty(ProducerConfig.BATCH_SIZE_CONFIG, bytes);
  }

  /** {@code compression.type}: none, gzip, snappy, lz4 or zstd. */
  public QmonPublisherBuilder compressionType(String value) {
    return kafkaProperty(ProducerConfig.COMPRESSION_TYPE_CONFIG, value);
  }

  /** {@code request.timeout.ms}: after this, an unanswered request is retried. */
  public QmonPublisherBuilder requestTimeout(Duration value) {
    return kafkaProperty(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) value.toMillis());
  }

  /**
   * {@code delivery.timeout.ms}: the bound on the whole send, retries included; after it the event
   * fails. Must be at least {@code linger.ms + request.timeout.ms}.
   */
  public QmonPublisherBuilder deliveryTimeout(Duration value) {
    return kafkaProperty(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) value.toMillis());
  }

  /** {@code retry.backoff.ms}: pause before a retry. */
  public QmonPublisherBuilder retryBackoff(Duration value) {
    return kafkaProperty(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, value.toMillis());
  }

  /** {@code max.in.flight.requests.per.connection}: at most 5 with idempotence. */
  public QmonPublisherBuilder maxInFlightRequests(int value) {
    return kafkaProperty(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, value);
  }

  /**
   * Any Kafka producer setting, for instance {@code security.protocol=SASL_SSL}, {@code
   * sasl.mechanism}, {@code sasl.jaas.config}, {@code ssl.truststore.location}. Overrides the
   * defaults and earlier setters. Key and value serializers are fixed (bytes) and cannot be set.
   */
  public QmonPublisherBuilder kafkaProperty(String key, Object value) {
    if (key == null || key.isBlank()) {
      throw new IllegalArgumentException("kafkaProperty key must not be blank");
    }
    if (value == null) {
      throw new IllegalArgumentException("kafkaProperty " + key + " must not be null");
    }
    if (key.equals(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG)
        || key.equals(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG)) {
      throw new IllegalArgumentException(
          key + " cannot be set: qmon frames values in the Confluent wire format itself");
    }
    kafka.put(key, value);
    return this;
  }

  /** Every entry of a client properties file (e.g. a {@code client.properties} with SASL). */
  public QmonPublisherBuilder kafkaProperties(Properties properties) {
    properties.stringPropertyNames().forEach(k -> kafkaProperty(k, properties.getProperty(k)));
    return this;
  }

  /**
   * Called once for every event Kafka finally refused, on the producer's I/O thread (must not
   * block). Failures are thrown from the next call, {@code flush()} or {@code close()} as well.
   */
  public QmonPublisherBuilder onFailure(Consumer<PublishException> listener) {
    this.failureListener = listener;
    return this;
  }

  /** The Kafka producer configuration as it stands (a copy). */
  public Map<String, Object> kafkaConfig() {
    Map<String, Object> copy = new LinkedHashMap<>(kafka);
    copy.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "qmon-publisher-" + producerId);
    return Collections.unmodifiableMap(copy);
  }

  /**
   * Builds and connects the publisher.
   *
   * @throws IllegalArgumentException naming the setting that is missing or invalid
   */
  public QmonPublisher build() {
    Object servers = kafka.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG);
    if (servers == null || servers.toString().isBlank()) {
      throw new IllegalArgumentException("bootstrapServers must be set");
    }
    if (registry == null && (registryUrl == null || registryUrl.isBlank())) {
      throw new IllegalArgumentException("schemaRegistryUrl must be set (or schemaRegistry)");
    }
    if (producerId == null || producerId.isBlank()) {
      throw new IllegalArgumentException("producerId must not be blank");
    }
    if (registryTimeout == null || registryTimeout.isNegative() || registryTimeout.isZero()) {
      throw new IllegalArgumentException("schemaRegistryTimeout must be > 0");
    }
    SchemaRegistry client =
        registry != null ? registry : new RestSchemaRegistry(registryUrl, registryTimeout);
    QmonPublisher publisher = new QmonPublisher(kafkaConfig(), client, producerId, failureListener);
    publisher.captureEnvironment(captureEnvironment);
    return publisher;
  }
}
