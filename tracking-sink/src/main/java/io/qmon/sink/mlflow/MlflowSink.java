package io.qmon.sink.mlflow;

import io.qmon.schemas.Topics;
import io.qmon.schemas.serde.SchemaRegistry;
import io.qmon.schemas.serde.WireFormatException;
import io.qmon.sink.TrackingSinkConfig;
import io.qmon.sink.kafka.ConsumerSettings;
import io.qmon.sink.kafka.TopicDecoder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MLflow sink: a consumer of qgm.runs, qgm.metrics, qgm.shots and qgm.targets feeding the
 * {@link MlflowWriter}. It pauses consumption while the writer's queue is full (MLflow slow or
 * down) and pauses qgm.metrics while too many records wait for their run's start; it commits only
 * offsets whose records MLflow has accepted.
 */
public final class MlflowSink implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MlflowSink.class);
  static final List<String> TOPICS =
      List.of(Topics.RUNS, Topics.METRICS, Topics.SHOTS, Topics.TARGETS);
  private static final int MAX_POLL_RECORDS = 500;

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final TopicDecoder decoder;
  private final MlflowWriter writer;
  private final OffsetTracker offsets;
  private final int maxParked;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;
  private Map<TopicPartition, OffsetAndMetadata> lastCommitted = Map.of();

  private MlflowSink(
      Properties consumerProps,
      TopicDecoder decoder,
      List<MlflowGateway> gateways,
      MlflowWriter.Settings settings,
      int maxParked,
      LongSupplier clock) {
    consumerProps.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(MAX_POLL_RECORDS));
    this.consumer = new KafkaConsumer<>(consumerProps);
    this.decoder = decoder;
    this.offsets = new OffsetTracker();
    this.writer = new MlflowWriter(gateways, settings, offsets, clock);
    this.maxParked = maxParked;
    this.thread = new Thread(this::run, "qmon-mlflow-consumer");
  }

  /** Starts consuming and writing per the config, with the system clock. */
  public static MlflowSink start(TrackingSinkConfig config, SchemaRegistry registry) {
    return start(config, registry, System::currentTimeMillis);
  }

  /** Starts consuming and writing per the config; the clock drives grace and stall timeouts. */
  public static MlflowSink start(
      TrackingSinkConfig config, SchemaRegistry registry, LongSupplier clock) {
    int queueCapacity = config.get(TrackingSinkConfig.MLFLOW_QUEUE_CAPACITY);
    if (queueCapacity < 2 * MAX_POLL_RECORDS) {
      throw new IllegalArgumentException(
          "Setting 'mlflow.queue-capacity' must be at least " + 2 * MAX_POLL_RECORDS);
    }
    MlflowWriter.Settings settings =
        new MlflowWriter.Settings(
            config.get(TrackingSinkConfig.MLFLOW_BATCH_MAX_METRICS),
            queueCapacity,
            config.get(TrackingSinkConfig.MLFLOW_LINGER),
            config.get(TrackingSinkConfig.MLFLOW_RETRY_INITIAL),
            config.get(TrackingSinkConfig.MLFLOW_RETRY_MAX),
            config.get(TrackingSinkConfig.MLFLOW_FINISH_GRACE),
            config.get(TrackingSinkConfig.MLFLOW_STALL_TIMEOUT),
            config.get(TrackingSinkConfig.MLFLOW_WRITER_THREADS));
    List<MlflowGateway> gateways = new ArrayList<>();
    for (int i = 0; i < settings.writerThreads(); i++) {
      gateways.add(new MlflowGateway(config.get(TrackingSinkConfig.MLFLOW_TRACKING_URI)));
    }
    MlflowSink sink =
        new MlflowSink(
            ConsumerSettings.of(
                config.get(TrackingSinkConfig.BOOTSTRAP_SERVERS),
                config.get(TrackingSinkConfig.GROUP_ID_PREFIX) + "-mlflow",
                "earliest",
                false),
            new TopicDecoder(registry),
            gateways,
            settings,
            config.get(TrackingSinkConfig.MLFLOW_MAX_PARKED),
            clock);
    sink.writer.start();
    sink.thread.start();
    return sink;
  }

  public WriterStats stats() {
    return writer.stats();
  }

  /** Records consumed but not yet accepted by MLflow (or not needing a write yet). */
  public int outstandingRecords() {
    return offsets.outstandingCount();
  }

  private void run() {
    try {
      consumer.subscribe(
          TOPICS,
          new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
              commit();
              partitions.forEach(offsets::forget);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {}
          });
      while (running.get()) {
        if (writer.failed()) {
          throw new IllegalStateException("MLflow writer failed; stopping consumption");
        }
        applyBackPressure();
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          hand(record);
        }
        commit();
      }
    } catch (WakeupException e) {
      if (running.get()) {
        throw e;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.error("MLflow sink consumer stopped", e);
      throw e;
    } finally {
      try {
        writer.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      commit();
      consumer.close();
    }
  }

  private void hand(ConsumerRecord<byte[], byte[]> record) throws InterruptedException {
    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
    offsets.begin(partition, record.offset());
    SpecificRecord value;
    try {
      value = decoder.decode(record.topic(), record.value());
    } catch (WireFormatException e) {
      writer.stats().decodeErrors.incrementAndGet();
      LOG.warn("Skipping undecodable record {}@{}: {}", partition, record.offset(), e.getMessage());
      offsets.complete(partition, record.offset());
      return;
    }
    writer.submit(new Work(partition, record.offset(), value));
  }

  private void applyBackPressure() {
    Set<TopicPartition> assigned = consumer.assignment();
    Set<TopicPartition> metrics =
        assigned.stream().filter(p -> p.topic().equals(Topics.METRICS)).collect(Collectors.toSet());
    Set<TopicPartition> paused = consumer.paused();
    if (writer.remainingCapacity() < MAX_POLL_RECORDS) {
      if (!paused.containsAll(assigned)) {
        LOG.info("MLflow writer queue full: pausing consumption");
        consumer.pause(assigned);
      }
    } else if (writer.parkedCount() >= maxParked) {
      consumer.resume(
          assigned.stream().filter(p -> !metrics.contains(p)).collect(Collectors.toSet()));
      if (!paused.containsAll(metrics)) {
        LOG.warn(
            "{} metric records wait for their run's start: pausing qgm.metrics",
            writer.parkedCount());
        consumer.pause(metrics);
      }
    } else if (!paused.isEmpty()) {
      LOG.info("Resuming consumption");
      consumer.resume(paused);
    }
  }

  private void commit() {
    Map<TopicPartition, OffsetAndMetadata> committable = offsets.committable();
    committable.keySet().retainAll(consumer.assignment());
    if (!committable.isEmpty() && !committable.equals(lastCommitted)) {
      consumer.commitSync(committable);
      lastCommitted = committable;
    }
  }

  @Override
  public void close() {
    running.set(false);
    consumer.wakeup();
    try {
      thread.join(90_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
