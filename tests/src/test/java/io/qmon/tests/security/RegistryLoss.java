package io.qmon.tests.security;

import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A realistic way for the monitoring job to fail for good: its schema registry dies, and then a
 * record arrives whose schema the job has never seen. The decoder must ask the registry, which is
 * not the record's fault, so the read fails and, with no restarts left, so does the job.
 */
final class RegistryLoss {
  private RegistryLoss() {}

  /** Kills the launcher's registry child process (Apicurio) and waits until it is gone. */
  static void killRegistry(Process launcher) throws Exception {
    ProcessHandle registry =
        launcher
            .children()
            .filter(
                child ->
                    child.info().arguments().stream()
                        .flatMap(Stream::of)
                        .anyMatch(arg -> arg.contains("io.quarkus.runner.GeneratedMain")))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no registry child process"));
    registry.destroyForcibly();
    registry.onExit().get(30, TimeUnit.SECONDS);
  }

  /** Publishes a Confluent-framed record to {@code topic} with a schema id nobody asked for yet. */
  static void publishUnseenSchemaId(String bootstrap, String topic) throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer
          .send(
              new ProducerRecord<>(
                  topic,
                  "r".getBytes(StandardCharsets.UTF_8),
                  new byte[] {0, 0, 0, 0x3a, 0x11, 2, 4}))
          .get(30, TimeUnit.SECONDS);
    }
  }
}
