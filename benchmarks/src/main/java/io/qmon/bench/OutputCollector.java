package io.qmon.bench;

import io.qmon.metrics.MetricNames;
import io.qmon.schemas.Alert;
import io.qmon.schemas.MetricRecord;
import io.qmon.schemas.MetricScope;
import io.qmon.schemas.Topics;
import io.qmon.schemas.serde.ConfluentAvroSerde;
import io.qmon.schemas.serde.SchemaRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the job's metric records and alerts for the runs of one benchmark phase, from the end of
 * both topics as they were when it was created, and measures each record's latency: receive time
 * minus the event time stamped at publish, and the job's own part (processed time minus event
 * time). Counts each epoch-scope record id once, so duplicates cannot inflate a throughput.
 */
final class OutputCollector implements AutoCloseable {
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final ConfluentAvroSerde<MetricRecord> metrics;
  private final ConfluentAvroSerde<Alert> alerts;
  private final String runPrefix;
  private final int expected;
  private final Set<String> seen = new HashSet<>();
  private final LatencySample endToEnd = new LatencySample();
  private final LatencySample jobInternal = new LatencySample();
  private final LatencySample toAlert = new LatencySample();
  private final DoubleAdder jsdSum = new DoubleAdder();
  private final DoubleAdder fidelitySum = new DoubleAdder();
  private final AtomicLong completedAtNanos = new AtomicLong();
  private final CountDownLatch complete = new CountDownLatch(1);
  private final Thread thread;
  private volatile boolean stopping;
  private volatile RuntimeException failure;

  /** Positions at the current ends of the output topics, then starts reading in the background. */
  OutputCollector(
      String bootstrapServers, SchemaRegistry registry, String runPrefix, int expected) {
    this.runPrefix = runPrefix;
    this.expected = expected;
    this.metrics = new ConfluentAvroSerde<>(registry, MetricRecord.SCHEMA$);
    this.alerts = new ConfluentAvroSerde<>(registry, Alert.SCHEMA$);
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // Only what a downstream consumer may see counts: committed output, if the sink is
    // transactional.
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
    props.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 65536);
    consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : List.of(Topics.METRICS, Topics.ALERTS)) {
      for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
        partitions.add(new TopicPartition(topic, info.partition()));
      }
    }
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(p -> consumer.position(p, Duration.ofSeconds(30)));
    thread = new Thread(this::poll, "qmon-bench-collector-" + runPrefix);
    thread.setDaemon(true);
    thread.start();
  }

  private void poll() {
    try {
      while (!stopping) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          long received = System.currentTimeMillis();
          if (record.topic().equals(Topics.METRICS)) {
            onMetric(metrics.deserialize(record.value()), received);
          } else {
            onAlert(alerts.deserialize(record.value()), received);
          }
        }
      }
    } catch (RuntimeException e) {
      failure = e;
      complete.countDown();
    } finally {
      consumer.close();
    }
  }

  private void onMetric(MetricRecord record, long received) {
    if (record.getScope() != MetricScope.EPOCH
        || !record.getRunId().startsWith(runPrefix)
        || !seen.add(record.getRecordId())) {
      return;
    }
    long eventTime = record.getEventTime().toEpochMilli();
    endToEnd.add(received - eventTime);
    jobInternal.add(record.getProcessedTime().toEpochMilli() - eventTime);
    jsdSum.add(record.getMetrics().getOrDefault(MetricNames.JSD, Double.NaN));
    fidelitySum.add(record.getMetrics().getOrDefault(MetricNames.FIDELITY, Double.NaN));
    if (seen.size() == expected) {
      completedAtNanos.set(System.nanoTime());
      complete.countDown();
    }
  }

  private void onAlert(Alert alert, long received) {
    if (alert.getRunId().startsWith(runPrefix)) {
      toAlert.add(received - alert.getEventTime().toEpochMilli());
    }
  }

  /** Waits until every expected record arrived; false on timeout. */
  boolean await(Duration timeout) throws InterruptedException {
    boolean done = complete.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (failure != null) {
      throw new IllegalStateException("Reading the job's output failed: " + failure, failure);
    }
    return done;
  }

  /** System.nanoTime() when the last expected record arrived, 0 before. */
  long completedAtNanos() {
    return completedAtNanos.get();
  }

  int received() {
    return endToEnd.size();
  }

  /** Mean JSD over the records read, to check the baseline computes the same thing. */
  double meanJsd() {
    return jsdSum.sum() / received();
  }

  double meanFidelity() {
    return fidelitySum.sum() / received();
  }

  LatencySample.Summary endToEnd() {
    return endToEnd.summary();
  }

  LatencySample.Summary jobInternal() {
    return jobInternal.summary();
  }

  LatencySample.Summary toAlert() {
    return toAlert.summary();
  }

  @Override
  public void close() {
    stopping = true;
    try {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
