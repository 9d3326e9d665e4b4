package io.qmon.sink.mlflow;

import io.qmon.schemas.SweepSummary;
import io.qmon.schemas.Topics;
import io.qmon.schemas.serde.WireFormatException;
import io.qmon.sink.FatalErrorHandler;
import io.qmon.sink.kafka.TopicDecoder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the job's compacted qgm.sweeps from the beginning on every start, on all its partitions (an
 * experiment's configurations are spread over them and its table needs them all), and hands each
 * summary to the {@link SweepWriter}; after each poll the changed experiments' tables are written.
 * It commits nothing: the compacted topic is small and the writer is idempotent, so a restart
 * re-reads it and adds nothing. Transient MLflow failures are retried with backoff; a summary
 * MLflow refuses for good is logged with the reason, counted ({@code sweepFailures}) and skipped.
 */
final class SweepFeed implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SweepFeed.class);

  /** The only topic the feed reads. */
  static final String TOPIC = Topics.SWEEPS;

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final TopicDecoder decoder;
  private final SweepWriter writer;
  private final WriterStats stats;
  private final Duration retryInitial;
  private final Duration retryMax;
  private final FatalErrorHandler onFatal;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final CatchUp catchUp = new CatchUp();
  private final Thread thread;

  SweepFeed(
      Properties consumerProps,
      TopicDecoder decoder,
      SweepWriter writer,
      WriterStats stats,
      Duration retryInitial,
      Duration retryMax,
      FatalErrorHandler onFatal) {
    this.consumer = new KafkaConsumer<>(consumerProps);
    this.decoder = decoder;
    this.writer = writer;
    this.stats = stats;
    this.retryInitial = retryInitial;
    this.retryMax = retryMax;
    this.onFatal = onFatal;
    this.thread = new Thread(this::run, "qmon-mlflow-sweeps");
  }

  SweepFeed start() {
    thread.start();
    return this;
  }

  /** Waits until every summary on the topic at the time of the call is written; see CatchUp. */
  boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
    return catchUp.await(timeout);
  }

  boolean alive() {
    return thread.isAlive();
  }

  private void run() {
    try {
      assignAllPartitions();
      while (running.get()) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          SweepSummary summary;
          try {
            summary = (SweepSummary) decoder.decode(record.topic(), record.value());
          } catch (WireFormatException e) {
            stats.decodeErrors.incrementAndGet();
            LOG.warn(
                "Skipping undecodable sweep record {}-{}@{}: {}",
                record.topic(),
                record.partition(),
                record.offset(),
                e.getMessage());
            continue;
          }
          attempt(
              "sweep configuration " + summary.getExperiment() + "/" + summary.getConfigId(),
              () -> writer.accept(summary));
        }
        if (!writer.pendingTables().isEmpty()) {
          attempt("sweep tables of " + writer.pendingTables(), writer::writeTables);
        }
        catchUp.check(consumer, () -> writer.pendingTables().isEmpty());
      }
    } catch (WakeupException e) {
      if (running.get()) {
        fail(e);
      }
    } catch (WriterLane.Stopped e) {
      LOG.info("MLflow sweep feed stopped; the topic is re-read on restart: {}", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      fail(e);
    } finally {
      consumer.close();
    }
  }

  /** Waits for the topic (the job creates it) and reads every partition from the start. */
  private void assignAllPartitions() throws InterruptedException {
    while (running.get()) {
      List<PartitionInfo> infos = consumer.partitionsFor(TOPIC, Duration.ofSeconds(10));
      if (infos != null && !infos.isEmpty()) {
        List<TopicPartition> partitions = new ArrayList<>();
        infos.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return;
      }
      LOG.info("Topic {} does not exist yet; waiting for the job to create it", TOPIC);
      Thread.sleep(retryMax.toMillis());
    }
  }

  /** Runs the call until it succeeds or MLflow refuses it for good (then logs and skips it). */
  private void attempt(String what, MlflowDestination.Call call) throws InterruptedException {
    long backoff = Math.max(1, retryInitial.toMillis());
    long maxBackoff = Math.max(backoff, retryMax.toMillis());
    while (running.get()) {
      try {
        MlflowDestination.call(what, "writing", call);
        return;
      } catch (RunRejectedException e) {
        stats.sweepFailures.incrementAndGet();
        LOG.error("MLflow refused {}; skipping it: {}", what, e.getMessage());
        return;
      } catch (WriterLane.Stopped e) {
        throw e;
      } catch (RuntimeException e) {
        stats.retries.incrementAndGet();
        LOG.warn("Writing {} failed ({}); retrying in {} ms", what, e.toString(), backoff);
      }
      Thread.sleep(backoff);
      backoff = Math.min(maxBackoff, backoff * 2);
    }
    throw new WriterLane.Stopped(what);
  }

  private void fail(RuntimeException e) {
    LOG.error("MLflow sweep feed stopped", e);
    onFatal.fatal("mlflow-sweeps", e);
  }

  @Override
  public void close() {
    running.set(false);
    consumer.wakeup();
    try {
      thread.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
