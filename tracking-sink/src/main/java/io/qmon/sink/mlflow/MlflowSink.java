package io.qmon.sink.mlflow;

import io.qmon.schemas.MetricRecord;
import io.qmon.schemas.Topics;
import io.qmon.schemas.serde.SchemaRegistry;
import io.qmon.schemas.serde.WireFormatException;
import io.qmon.sink.FatalErrorHandler;
import io.qmon.sink.TrackingSinkConfig;
import io.qmon.sink.kafka.ConsumerSettings;
import io.qmon.sink.kafka.TopicDecoder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
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
 * The MLflow sink: a consumer of the job's qgm.metrics feeding the {@link MlflowWriter}, and a
 * {@link SweepFeed} of its qgm.sweeps feeding the sweep parent runs. It reads nothing else: run
 * lifecycle, params, tags and histograms all come from the job's records. It pauses consumption
 * while the writer's lanes are full (MLflow slow, down or refusing the credentials) and commits
 * only offsets whose records MLflow has accepted (or that belong to a run MLflow rejected). If the
 * consumer thread or a writer lane dies, the {@link FatalErrorHandler} hears it.
 */
public final class MlflowSink implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MlflowSink.class);

  /** The topics the MLflow sink reads: the job's metric records and its sweep summaries. */
  static final List<String> TOPICS = List.of(Topics.METRICS, SweepFeed.TOPIC);

  private static final int MAX_POLL_RECORDS = 500;

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final TopicDecoder decoder;
  private final MlflowWriter writer;
  private final OffsetTracker offsets;
  private final FatalErrorHandler onFatal;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;
  private final CatchUp catchUp = new CatchUp();
  private SweepFeed sweeps;
  private MlflowGateway sweepsClient;
  private Map<TopicPartition, OffsetAndMetadata> lastCommitted = Map.of();

  private MlflowSink(
      Properties consumerProps,
      TopicDecoder decoder,
      List<? extends MlflowApi> clients,
      MlflowWriter.Settings settings,
      LongSupplier clock,
      FatalErrorHandler onFatal) {
    consumerProps.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(MAX_POLL_RECORDS));
    this.consumer = new KafkaConsumer<>(consumerProps);
    this.decoder = decoder;
    this.offsets = new OffsetTracker();
    this.writer = new MlflowWriter(clients, settings, offsets, clock);
    this.onFatal = onFatal;
    this.thread = new Thread(this::run, "qmon-mlflow-consumer");
  }

  /** Starts consuming and writing per the config; a dead thread is only logged. */
  public static MlflowSink start(TrackingSinkConfig config, SchemaRegistry registry) {
    return start(config, registry, FatalErrorHandler.logOnly());
  }

  /** Starts consuming and writing per the config; {@code onFatal} hears of a dead thread. */
  public static MlflowSink start(
      TrackingSinkConfig config, SchemaRegistry registry, FatalErrorHandler onFatal) {
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
            config.get(TrackingSinkConfig.MLFLOW_CLOSE_WAIT),
            config.get(TrackingSinkConfig.MLFLOW_WRITER_THREADS));
    MlflowConnection connection = config.mlflowConnection(System.getenv());
    List<MlflowGateway> clients = new ArrayList<>();
    for (int i = 0; i < settings.writerThreads(); i++) {
      clients.add(new MlflowGateway(connection));
    }
    MlflowSink sink =
        new MlflowSink(
            ConsumerSettings.of(config, "mlflow", "earliest", false),
            new TopicDecoder(registry),
            clients,
            settings,
            System::currentTimeMillis,
            onFatal);
    sink.sweepsClient = new MlflowGateway(connection);
    sink.sweeps =
        new SweepFeed(
            ConsumerSettings.of(config, "mlflow-sweeps", "earliest", false),
            sink.decoder,
            new SweepWriter(sink.sweepsClient, sink.writer.shared(), sink.writer.stats()),
            sink.writer.stats(),
            settings.retryInitial(),
            settings.retryMax(),
            onFatal);
    sink.writer.start();
    sink.thread.start();
    sink.sweeps.start();
    LOG.info("MLflow writer to {}", connection);
    return sink;
  }

  public WriterStats stats() {
    return writer.stats();
  }

  /** True while MLflow refuses the sink's credentials and writing is paused. */
  public boolean paused() {
    return writer.paused();
  }

  /** Records consumed but not yet accepted by MLflow. */
  public int outstandingRecords() {
    return offsets.outstandingCount();
  }

  /**
   * Waits until everything on qgm.metrics and qgm.sweeps at the time of the call is in MLflow: the
   * metric records accepted (runs closed with their artifacts) and the sweep statistics, tables and
   * charts written. For a caller that ends right after its runs, such as {@code qmon demo}.
   *
   * @return true when both caught up within the timeout
   */
  public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean metricsWritten = catchUp.await(timeout);
    Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    return metricsWritten && (sweeps == null || sweeps.awaitCaughtUp(left));
  }

  /**
   * The MLflow UI route of a qmon run's page ({@code #/experiments/<id>/runs/<id>}), once this sink
   * has created or found the run; for the alert notifier's links when both run in one process.
   */
  public Optional<String> runPage(String qmonRunId) {
    return writer.shared().runPage(qmonRunId);
  }

  /** Whether the consumer threads (metrics and sweeps) are still running. */
  public boolean alive() {
    return thread.isAlive() && (sweeps == null || sweeps.alive());
  }

  private void run() {
    try {
      consumer.subscribe(
          List.of(Topics.METRICS),
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
          throw new IllegalStateException("MLflow writer lane failed; stopping consumption");
        }
        applyBackPressure();
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          hand(record);
        }
        commit();
        catchUp.check(consumer, () -> offsets.outstandingCount() == 0);
      }
    } catch (WakeupException e) {
      if (running.get()) {
        fail(e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      fail(e);
    } finally {
      try {
        writer.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      try {
        commit();
      } catch (RuntimeException e) {
        LOG.warn("Final offset commit of the MLflow sink failed; records are replayed", e);
      }
      consumer.close();
    }
  }

  private void fail(RuntimeException e) {
    LOG.error("MLflow sink consumer stopped", e);
    onFatal.fatal("mlflow", e);
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
    writer.submit(new Work(partition, record.offset(), (MetricRecord) value));
  }

  private void applyBackPressure() {
    Set<TopicPartition> assigned = consumer.assignment();
    Set<TopicPartition> paused = consumer.paused();
    if (writer.remainingCapacity() < MAX_POLL_RECORDS) {
      if (!paused.containsAll(assigned)) {
        LOG.info("MLflow writer lanes full: pausing consumption");
        consumer.pause(assigned);
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
    if (sweeps != null) {
      sweeps.close();
      sweepsClient.close();
    }
    running.set(false);
    consumer.wakeup();
    try {
      thread.join(90_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
