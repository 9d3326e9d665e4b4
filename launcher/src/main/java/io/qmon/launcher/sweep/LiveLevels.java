package io.qmon.launcher.sweep;

import io.qmon.producers.sweep.HalvingSweep;
import io.qmon.schemas.MetricRecord;
import io.qmon.schemas.MetricScope;
import io.qmon.schemas.Topics;
import io.qmon.schemas.serde.ConfluentAvroSerde;
import io.qmon.schemas.serde.SchemaRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The job's live JSD per run, read from qgm.metrics on a daemon thread from the moment it is
 * created (runs of the sweep start after it): a run's level at an epoch is the median of its last k
 * scored JSD values up to that epoch, as the advice stage computes it.
 */
final class LiveLevels implements HalvingSweep.Levels, AutoCloseable {
  private final String runPrefix;
  private final int k;
  private final KafkaConsumer<String, byte[]> consumer;
  private final ConfluentAvroSerde<MetricRecord> serde;
  private final Map<String, NavigableMap<Integer, Double>> jsd = new HashMap<>();
  private final AtomicBoolean closing = new AtomicBoolean();
  private final Thread thread;
  private RuntimeException failure;

  LiveLevels(String bootstrapServers, SchemaRegistry registry, String runPrefix, int k) {
    this.runPrefix = runPrefix;
    this.k = k;
    this.serde = new ConfluentAvroSerde<>(registry, MetricRecord.SCHEMA$);
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions =
        consumer.partitionsFor(Topics.METRICS, Duration.ofSeconds(30)).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition()))
            .toList();
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    // Resolve the end offsets now, before any run of the sweep publishes.
    partitions.forEach(consumer::position);
    thread = new Thread(this::loop, "qmon-sweep-levels");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    try {
      while (!closing.get()) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          String key = record.key();
          if (key == null || !key.startsWith(runPrefix) || !key.contains("/epoch/")) {
            continue;
          }
          MetricRecord m = serde.deserialize(record.value());
          Double value = m.getMetrics().get("jsd");
          if (m.getScope() == MetricScope.EPOCH && value != null) {
            synchronized (this) {
              jsd.computeIfAbsent(m.getRunId(), r -> new TreeMap<>()).put(m.getLastEpoch(), value);
              notifyAll();
            }
          }
        }
      }
    } catch (WakeupException e) {
      if (!closing.get()) {
        fail(new IllegalStateException("the sweep's metrics reader was woken up", e));
      }
    } catch (RuntimeException e) {
      fail(new IllegalStateException("reading qgm.metrics for the sweep failed", e));
    } finally {
      consumer.close();
    }
  }

  private synchronized void fail(RuntimeException e) {
    failure = e;
    notifyAll();
  }

  @Override
  public synchronized double level(String runId, int epoch, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (failure != null) {
        throw failure;
      }
      NavigableMap<Integer, Double> scored = jsd.get(runId);
      if (scored != null && scored.containsKey(epoch)) {
        double[] last =
            scored.headMap(epoch, true).descendingMap().values().stream()
                .limit(k)
                .mapToDouble(Double::doubleValue)
                .sorted()
                .toArray();
        int n = last.length;
        return n % 2 == 1 ? last[n / 2] : (last[n / 2 - 1] + last[n / 2]) / 2;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new IllegalStateException(
            "the job did not score epoch "
                + epoch
                + " of "
                + runId
                + " within "
                + timeout
                + " (scored: "
                + (scored == null ? "none" : scored.lastKey())
                + ")");
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }

  @Override
  public void close() throws InterruptedException {
    closing.set(true);
    consumer.wakeup();
    thread.join(10_000);
  }
}
