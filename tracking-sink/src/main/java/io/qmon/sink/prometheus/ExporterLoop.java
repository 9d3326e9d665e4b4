package io.qmon.sink.prometheus;

import io.qmon.schemas.Alert;
import io.qmon.schemas.DeadLetter;
import io.qmon.schemas.MetricRecord;
import io.qmon.schemas.SweepSummary;
import io.qmon.schemas.Topics;
import io.qmon.schemas.serde.WireFormatException;
import io.qmon.sink.FatalErrorHandler;
import io.qmon.sink.kafka.TopicDecoder;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the exporter from the job's qgm.metrics, qgm.dlq, qgm.alerts and qgm.sweeps on its own
 * thread (never from the input topics). Undecodable records are counted and logged, never fatal; if
 * the thread dies nevertheless, the {@link FatalErrorHandler} hears it.
 */
public final class ExporterLoop implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ExporterLoop.class);
  static final List<String> TOPICS =
      List.of(Topics.METRICS, Topics.DLQ, Topics.ALERTS, Topics.SWEEPS);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final TopicDecoder decoder;
  private final QmonExporter exporter;
  private final FatalErrorHandler onFatal;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;

  public ExporterLoop(
      Properties consumerProps,
      TopicDecoder decoder,
      QmonExporter exporter,
      FatalErrorHandler onFatal) {
    this.consumer = new KafkaConsumer<>(consumerProps);
    this.decoder = decoder;
    this.exporter = exporter;
    this.onFatal = onFatal;
    this.thread = new Thread(this::run, "qmon-prometheus-exporter");
  }

  /** Subscribes and starts consuming on a background thread. */
  public ExporterLoop start() {
    thread.start();
    return this;
  }

  private void run() {
    try {
      consumer.subscribe(
          TOPICS,
          new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
              // qgm.sweeps is compacted state (one summary per configuration), not a stream of
              // events: the sweep gauges are rebuilt from its start after every (re)start, whatever
              // the committed offsets and prometheus.offset-reset say.
              List<TopicPartition> sweeps =
                  partitions.stream().filter(p -> p.topic().equals(Topics.SWEEPS)).toList();
              if (!sweeps.isEmpty()) {
                consumer.seekToBeginning(sweeps);
              }
            }
          });
      while (running.get()) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
        for (ConsumerRecord<byte[], byte[]> record : records) {
          apply(record);
        }
        exporter.removeExpiredRuns();
      }
    } catch (WakeupException e) {
      if (running.get()) {
        fail(e);
      }
    } catch (RuntimeException e) {
      fail(e);
    } finally {
      consumer.close();
    }
  }

  private void fail(RuntimeException e) {
    LOG.error("Prometheus exporter loop stopped", e);
    onFatal.fatal("prometheus", e);
  }

  /** Whether the consumer thread is still running. */
  public boolean alive() {
    return thread.isAlive();
  }

  private void apply(ConsumerRecord<byte[], byte[]> record) {
    SpecificRecord value;
    try {
      value = decoder.decode(record.topic(), record.value());
    } catch (WireFormatException e) {
      exporter.onDecodeError(record.topic());
      LOG.warn(
          "Skipping undecodable record {}-{}@{}: {}",
          record.topic(),
          record.partition(),
          record.offset(),
          e.getMessage());
      return;
    }
    if (value instanceof MetricRecord m) {
      exporter.onMetricRecord(m);
    } else if (value instanceof DeadLetter d) {
      exporter.onDeadLetter(d);
    } else if (value instanceof Alert a) {
      exporter.onAlert(a);
    } else if (value instanceof SweepSummary s) {
      exporter.onSweepSummary(s);
    }
  }

  @Override
  public void close() {
    running.set(false);
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
