package io.qmon.launcher.sweep;

import io.qmon.schemas.MetricRecord;
import io.qmon.schemas.Topics;
import io.qmon.schemas.serde.ConfluentAvroSerde;
import io.qmon.schemas.serde.SchemaRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads qgm.metrics from the beginning until the record of each run's last epoch (key {@code
 * <run>/epoch/<n>}) has arrived, or the timeout passes; other records are skipped undecoded.
 */
final class FinalMetricsReader {
  private FinalMetricsReader() {}

  /**
   * @param lastEpochs run id → its last epoch
   * @return run id → the metric record of its last epoch, for every run found in time
   */
  static Map<String, MetricRecord> read(
      String bootstrapServers,
      SchemaRegistry registry,
      Map<String, Integer> lastEpochs,
      Duration timeout) {
    Map<String, String> wanted = new HashMap<>();
    lastEpochs.forEach((run, epoch) -> wanted.put(run + "/epoch/" + epoch, run));
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "qmon-sweep-summary-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    ConfluentAvroSerde<MetricRecord> serde =
        new ConfluentAvroSerde<>(registry, MetricRecord.SCHEMA$);
    Map<String, MetricRecord> found = new HashMap<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(Topics.METRICS));
      while (found.size() < wanted.size() && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(250))) {
          String run = wanted.get(record.key());
          if (run != null) {
            found.put(run, serde.deserialize(record.value()));
          }
        }
      }
    }
    return found;
  }
}
