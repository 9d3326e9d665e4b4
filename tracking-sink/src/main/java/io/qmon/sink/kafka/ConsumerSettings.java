package io.qmon.sink.kafka;

import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Consumer properties shared by the sinks: byte-array values decoded by {@link TopicDecoder}. */
public final class ConsumerSettings {
  private ConsumerSettings() {}

  /**
   * @param autoCommit true where losing or repeating a few records on restart is harmless
   *     (Prometheus); false where offsets are committed after the write (MLflow)
   */
  public static Properties of(
      String bootstrapServers, String groupId, String offsetReset, boolean autoCommit) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, offsetReset);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, Boolean.toString(autoCommit));
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, groupId);
    return props;
  }
}
