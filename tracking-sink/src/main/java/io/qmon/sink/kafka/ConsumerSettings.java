package io.qmon.sink.kafka;

import io.qmon.sink.TrackingSinkConfig;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Consumer properties shared by the sinks: the pass-through Kafka client settings (security ...),
 * then what the sinks own: byte-array values decoded by {@link TopicDecoder}, the group, the offset
 * policy and the isolation level ({@code read_committed} by default, so a job writing with
 * exactly-once shows the sinks only committed records).
 */
public final class ConsumerSettings {
  private ConsumerSettings() {}

  /**
   * @param sinkName appended to {@code kafka.group-id-prefix} for the group and client id
   * @param autoCommit true where losing or repeating a few records on restart is harmless
   *     (Prometheus); false where offsets are committed after the write (MLflow)
   */
  public static Properties of(
      TrackingSinkConfig config, String sinkName, String offsetReset, boolean autoCommit) {
    String groupId = config.get(TrackingSinkConfig.GROUP_ID_PREFIX) + "-" + sinkName;
    Properties props = new Properties();
    props.putAll(config.kafkaProperties());
    props.put(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.get(TrackingSinkConfig.BOOTSTRAP_SERVERS));
    props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, offsetReset);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, Boolean.toString(autoCommit));
    props.put(
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, config.get(TrackingSinkConfig.ISOLATION_LEVEL));
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, groupId);
    return props;
  }
}
