package io.qmon.producers.sdk;

import io.qmon.schemas.RunEvent;
import io.qmon.schemas.RunStarted;
import io.qmon.schemas.ShotCounts;
import io.qmon.schemas.StateSnapshot;
import io.qmon.schemas.TargetDistribution;
import io.qmon.schemas.Topics;
import io.qmon.schemas.serde.ConfluentAvroSerde;
import io.qmon.schemas.serde.SchemaRegistry;
import io.qmon.schemas.serde.SchemaRegistryException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a training loop's events to qmon: run lifecycle, per-epoch shot counts, optional state
 * snapshots, targets. Thread-safe; share one per process.
 *
 * <p>Reliable by default: an idempotent producer with {@code acks=all}, so retried sends neither
 * lose nor duplicate events, and each run's events stay in order (all are keyed by run id). Sends
 * are asynchronous and return a future; the first failure is kept and thrown by the next call, by
 * {@link #flush()} or by {@link #close()}, and every failure also goes to the optional {@link
 * QmonPublisherBuilder#onFailure} listener, so none passes silently. Events are validated before
 * they are sent ({@link InvalidEventException} names the field).
 *
 * <pre>{@code
 * try (QmonPublisher publisher = QmonPublisher.builder()
 *     .bootstrapServers("127.0.0.1:9092")
 *     .schemaRegistryUrl("http://127.0.0.1:8081")
 *     .build()) {
 *   publisher.run(RunSpec.builder("my-run").qubits(3).shots(1024).target("t").build(), run -> {
 *     run.publishEpoch(1, outcomes, counts, Map.of("loss", 0.3));
 *   });                                    // SUCCEEDED on return, FAILED or KILLED on a throw
 * }
 * }</pre>
 *
 * <p>Every event also carries this publisher's {@link #producerSession()}, random per instance, so
 * a process restarted with the same producer id (whose sequence numbers start again) is not taken
 * for a duplicate of its previous life.
 */
public final class QmonPublisher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(QmonPublisher.class);

  private final Producer<byte[], byte[]> producer;
  private final String producerId;
  private final String producerSession = UUID.randomUUID().toString();
  private final Consumer<PublishException> failureListener;
  private final ConfluentAvroSerde<RunEvent> runSerde;
  private final ConfluentAvroSerde<ShotCounts> shotSerde;
  private final ConfluentAvroSerde<StateSnapshot> stateSerde;
  private final ConfluentAvroSerde<TargetDistribution> targetSerde;
  private final AtomicReference<PublishException> firstFailure = new AtomicReference<>();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong acknowledged = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private volatile boolean captureEnvironment = true;

  QmonPublisher(
      Map<String, Object> kafkaConfig,
      SchemaRegistry registry,
      String producerId,
      Consumer<PublishException> failureListener) {
    this(
        new KafkaProducer<>(
            warnIfUnreliable(kafkaConfig), new ByteArraySerializer(), new ByteArraySerializer()),
        registry,
        producerId,
        failureListener);
    this.adviceReaders =
        (advice, sinceMs) ->
            new AdviceReader(advice, consumerConfig(kafkaConfig), registry, sinceMs).start();
  }

  /** The producer's connection settings (security included) that a consumer understands. */
  static Map<String, Object> consumerConfig(Map<String, Object> kafkaConfig) {
    Map<String, Object> config = new java.util.HashMap<>();
    kafkaConfig.forEach(
        (key, value) -> {
          if (org.apache.kafka.clients.consumer.ConsumerConfig.configNames().contains(key)
              && !key.equals(org.apache.kafka.clients.producer.ProducerConfig.CLIENT_ID_CONFIG)) {
            config.put(key, value);
          }
        });
    return config;
  }

  /** Starts the advice reader of one run from a time on; replaced in unit tests. */
  @FunctionalInterface
  interface AdviceReaders {
    AutoCloseable start(RunAdvice advice, long sinceMs);
  }

  private AdviceReaders adviceReaders =
      (advice, sinceMs) -> {
        throw new IllegalStateException(
            "this publisher has no Kafka settings to read " + Topics.ADVICE + " with");
      };

  /** For unit tests: how runs start their advice readers. */
  void adviceReaders(AdviceReaders readers) {
    this.adviceReaders = readers;
  }

  AutoCloseable startAdviceReader(RunAdvice advice, long sinceMs) {
    return adviceReaders.start(advice, sinceMs);
  }

  /** With a given Kafka producer (tests pass Kafka's {@code MockProducer}). */
  QmonPublisher(
      Producer<byte[], byte[]> producer,
      SchemaRegistry registry,
      String producerId,
      Consumer<PublishException> failureListener) {
    this.producer = producer;
    this.producerId = producerId;
    this.failureListener = failureListener;
    this.runSerde = new ConfluentAvroSerde<>(registry, RunEvent.SCHEMA$);
    this.shotSerde = new ConfluentAvroSerde<>(registry, ShotCounts.SCHEMA$);
    this.stateSerde = new ConfluentAvroSerde<>(registry, StateSnapshot.SCHEMA$);
    this.targetSerde = new ConfluentAvroSerde<>(registry, TargetDistribution.SCHEMA$);
  }

  /** A builder with qmon's reliable defaults; see {@link QmonPublisherBuilder}. */
  public static QmonPublisherBuilder builder() {
    return new QmonPublisherBuilder();
  }

  /** Identifies this publisher in every event; (producer id, seq) is unique. */
  public String producerId() {
    return producerId;
  }

  /** Publishes or replaces a target distribution on the compacted targets topic. */
  public CompletableFuture<RecordMetadata> publishTarget(TargetDistribution target) {
    EventChecks.checkTarget(target);
    return send(Topics.TARGETS, target.getTargetId(), target, targetSerde);
  }

  /**
   * One life of this publisher, random per instance and stamped on every event: with the producer
   * id and the sequence number it identifies an event across producer restarts.
   */
  public String producerSession() {
    return producerSession;
  }

  /**
   * Publishes the run's start and returns the handle that publishes its epochs. Use it in
   * try-with-resources ({@link RunPublisher#close()} finishes the run as SUCCEEDED unless it is
   * already finished) and call {@link RunPublisher#fail(Throwable)} on a failure, or let {@link
   * #run(RunSpec, RunBody)} do both. Unless turned off (the spec's or this publisher's
   * captureEnvironment, {@code QMON_CAPTURE_ENV=0} through {@link
   * QmonPublisherBuilder#fromEnvironment()}), the start carries the {@link RunEnvironment}.
   *
   * @throws InvalidEventException naming the field when the start event is invalid
   */
  public RunPublisher startRun(RunSpec spec) {
    RunStarted started = spec.toRunStarted();
    if (captureEnvironment && spec.capturesEnvironment()) {
      started = withEnvironment(started);
    }
    EventChecks.checkRunStarted(spec.runId(), started);
    return RunPublisher.start(this, spec.runId(), started);
  }

  /** The start with the {@link RunEnvironment} added under the spec's own tags and attachments. */
  private static RunStarted withEnvironment(RunStarted started) {
    Map<String, String> tags = new LinkedHashMap<>(RunEnvironment.tags());
    tags.putAll(started.getTags());
    Map<String, String> attachments = new LinkedHashMap<>();
    attachments.put(RunEnvironment.ENVIRONMENT_FILE, RunEnvironment.environmentText());
    attachments.putAll(started.getAttachments());
    return RunStarted.newBuilder(started).setTags(tags).setAttachments(attachments).build();
  }

  /** Turns the environment capture off for every run (QmonPublisherBuilder, QMON_CAPTURE_ENV). */
  void captureEnvironment(boolean capture) {
    this.captureEnvironment = capture;
  }

  /**
   * Starts the run, hands it to {@code body}, and finishes it: SUCCEEDED when the body returns,
   * KILLED when it throws an {@link InterruptedException}, FAILED with the exception's text on any
   * other throw, which is then rethrown (wrapped in a {@link RunFailedException} when checked).
   */
  public void run(RunSpec spec, RunBody body) {
    RunPublisher run = startRun(spec);
    try {
      body.train(run);
    } catch (RuntimeException | Error e) {
      run.fail(e);
      throw e;
    } catch (Exception e) {
      run.fail(e);
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new RunFailedException(spec.runId(), e);
    }
    run.close();
  }

  /** A training loop that publishes into one run. */
  @FunctionalInterface
  public interface RunBody {
    void train(RunPublisher run) throws Exception;
  }

  /** Publishes the run's start and returns the handle that publishes its epochs. */
  @Deprecated
  public RunPublisher startRun(RunStarted started, String runId) {
    return startRun(RunSpec.of(runId, started));
  }

  /** Publishes a run's start under a fresh random run id. */
  @Deprecated
  public RunPublisher startRun(RunStarted started) {
    return startRun(RunSpec.of(UUID.randomUUID().toString(), started));
  }

  CompletableFuture<RecordMetadata> send(RunEvent event) {
    return send(Topics.RUNS, event.getRunId(), event, runSerde);
  }

  CompletableFuture<RecordMetadata> send(ShotCounts event) {
    return send(Topics.SHOTS, event.getRunId(), event, shotSerde);
  }

  CompletableFuture<RecordMetadata> send(StateSnapshot event) {
    return send(Topics.STATES, event.getRunId(), event, stateSerde);
  }

  private <T extends SpecificRecord> CompletableFuture<RecordMetadata> send(
      String topic, String key, T event, ConfluentAvroSerde<T> serde) {
    throwIfFailed();
    byte[] value;
    try {
      value = serde.serialize(topic, event);
    } catch (SchemaRegistryException e) {
      throw new PublishException(
          "Registering the " + topic + " schema failed, nothing was sent: " + e.getMessage(), e);
    }
    CompletableFuture<RecordMetadata> result = new CompletableFuture<>();
    sent.incrementAndGet();
    try {
      producer.send(
          new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value),
          (metadata, error) -> {
            if (error == null) {
              acknowledged.incrementAndGet();
              result.complete(metadata);
            } else {
              result.completeExceptionally(fail(topic, key, error));
            }
          });
    } catch (RuntimeException e) {
      // The producer is closed, or the thread was interrupted while blocked on a full buffer.
      throw fail(topic, key, e);
    }
    return result;
  }

  private PublishException fail(String topic, String key, Throwable error) {
    failed.incrementAndGet();
    PublishException failure =
        new PublishException(
            "Publishing to " + topic + " for key " + key + " failed: " + error, error);
    firstFailure.compareAndSet(null, failure);
    if (failureListener != null) {
      try {
        failureListener.accept(failure);
      } catch (RuntimeException listenerError) {
        LOG.error("The failure listener threw; the failure stands", listenerError);
      }
    }
    return failure;
  }

  /** Events handed to Kafka so far. */
  public long sentCount() {
    return sent.get();
  }

  /** Events Kafka has acknowledged so far. */
  public long acknowledgedCount() {
    return acknowledged.get();
  }

  /** Events that failed so far. */
  public long failedCount() {
    return failed.get();
  }

  /**
   * The sum of one producer-level Kafka client metric over its tags, for instance {@code
   * record-retry-total}, {@code record-error-total}, {@code buffer-available-bytes}; NaN when
   * unknown.
   */
  public double kafkaMetric(String name) {
    double sum = Double.NaN;
    for (Map.Entry<MetricName, ? extends Metric> m : producer.metrics().entrySet()) {
      if (m.getKey().name().equals(name) && m.getKey().group().equals("producer-metrics")) {
        Object value = m.getValue().metricValue();
        if (value instanceof Number n) {
          sum = Double.isNaN(sum) ? n.doubleValue() : sum + n.doubleValue();
        }
      }
    }
    return sum;
  }

  /** Blocks until every event sent so far is acknowledged, then throws the first failure if any. */
  public void flush() {
    producer.flush();
    throwIfFailed();
  }

  private void throwIfFailed() {
    PublishException failure = firstFailure.get();
    if (failure != null) {
      throw failure;
    }
  }

  /** Flushes, closes the producer (waiting up to 30 s), then throws the first failure, if any. */
  @Override
  public void close() {
    close(Duration.ofSeconds(30));
  }

  /** Flushes and closes, waiting at most {@code timeout} for outstanding sends. */
  public void close(Duration timeout) {
    try {
      producer.flush();
    } finally {
      producer.close(timeout);
    }
    throwIfFailed();
  }

  private static Map<String, Object> warnIfUnreliable(Map<String, Object> config) {
    if (!"true"
        .equalsIgnoreCase(String.valueOf(config.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG)))) {
      LOG.warn("enable.idempotence is overridden: a retried send may now be duplicated");
    }
    Object acks = config.get(ProducerConfig.ACKS_CONFIG);
    if (!"all".equals(String.valueOf(acks)) && !"-1".equals(String.valueOf(acks))) {
      LOG.warn("acks={} is overridden: an acknowledged event may be lost with a broker", acks);
    }
    return config;
  }
}
