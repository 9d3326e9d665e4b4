package io.qmon.producers.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QmonPublisherBuilderTest {

  @Test
  void shouldDefaultToIdempotentAcksAll() {
    Map<String, Object> config =
        QmonPublisher.builder().bootstrapServers("b:9092").producerId("p").kafkaConfig();
    assertEquals(true, config.get("enable.idempotence"));
    assertEquals("all", config.get("acks"));
    assertEquals(5, config.get("max.in.flight.requests.per.connection"));
    assertEquals("lz4", config.get("compression.type"));
    assertEquals("qmon-publisher-p", config.get("client.id"));
    assertEquals("b:9092", config.get("bootstrap.servers"));
  }

  @Test
  void shouldApplyTypedSettingsAsKafkaProperties() {
    Map<String, Object> config =
        QmonPublisher.builder()
            .bufferMemory(1 << 20)
            .maxBlock(Duration.ofSeconds(2))
            .requestTimeout(Duration.ofMillis(1500))
            .deliveryTimeout(Duration.ofSeconds(90))
            .retryBackoff(Duration.ofMillis(50))
            .linger(Duration.ofMillis(20))
            .batchSize(32768)
            .compressionType("zstd")
            .maxInFlightRequests(3)
            .clientId("mine")
            .kafkaConfig();
    assertEquals(1L << 20, config.get("buffer.memory"));
    assertEquals(2000L, config.get("max.block.ms"));
    assertEquals(1500, config.get("request.timeout.ms"));
    assertEquals(90000, config.get("delivery.timeout.ms"));
    assertEquals(50L, config.get("retry.backoff.ms"));
    assertEquals(20L, config.get("linger.ms"));
    assertEquals(32768, config.get("batch.size"));
    assertEquals("zstd", config.get("compression.type"));
    assertEquals(3, config.get("max.in.flight.requests.per.connection"));
    assertEquals("mine", config.get("client.id"));
  }

  @Test
  void shouldLetLastWriteWinIncludingSecuritySettingsFromAPropertiesFile() {
    Properties file = new Properties();
    file.setProperty("security.protocol", "SASL_SSL");
    file.setProperty("sasl.mechanism", "SCRAM-SHA-512");
    file.setProperty("acks", "1");
    Map<String, Object> config = QmonPublisher.builder().kafkaProperties(file).kafkaConfig();
    assertEquals("SASL_SSL", config.get("security.protocol"));
    assertEquals("SCRAM-SHA-512", config.get("sasl.mechanism"));
    assertEquals("1", config.get("acks"));
  }

  @Test
  void shouldRefuseSerializerOverrides() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> QmonPublisher.builder().kafkaProperty("value.serializer", "x"));
    assertEquals(
        "value.serializer cannot be set: qmon frames values in the Confluent wire format itself",
        e.getMessage());
  }

  @Test
  void shouldNameMissingSettings() {
    assertEquals(
        "bootstrapServers must be set",
        assertThrows(
                IllegalArgumentException.class,
                () -> QmonPublisher.builder().schemaRegistryUrl("http://r").build())
            .getMessage());
    assertEquals(
        "schemaRegistryUrl must be set (or schemaRegistry)",
        assertThrows(
                IllegalArgumentException.class,
                () -> QmonPublisher.builder().bootstrapServers("b:1").build())
            .getMessage());
    assertEquals(
        "producerId must not be blank",
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    QmonPublisher.builder()
                        .bootstrapServers("b:1")
                        .schemaRegistryUrl("http://r")
                        .producerId(" ")
                        .build())
            .getMessage());
  }

  @Test
  void shouldReadTheSameEnvironmentVariablesAsThePythonSdk(@TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path file = dir.resolve("client.properties");
    java.nio.file.Files.writeString(
        file,
        "security.protocol=SASL_SSL\n"
            + "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required"
            + " username=\"u\" password=\"a=b,c\";\n");
    QmonPublisherBuilder builder =
        QmonPublisher.builder()
            .fromEnvironment(
                Map.of(
                    "QMON_BOOTSTRAP_SERVERS", "b:9093",
                    "QMON_PRODUCER_ID", "lab-7",
                    "QMON_KAFKA_PROPERTIES", file.toString(),
                    "QMON_KAFKA_SASL_MECHANISM", "PLAIN",
                    "QMON_KAFKA_SECURITY_PROTOCOL", "SSL",
                    "HOME", "/root"));
    Map<String, Object> config = builder.kafkaConfig();
    assertEquals("b:9093", config.get("bootstrap.servers"));
    assertEquals("qmon-publisher-lab-7", config.get("client.id"));
    assertEquals("SSL", config.get("security.protocol"), "a variable beats the file");
    assertEquals("PLAIN", config.get("sasl.mechanism"));
    assertEquals(
        "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\""
            + " password=\"a=b,c\";",
        config.get("sasl.jaas.config"));
    IllegalArgumentException noRegistry =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, builder::build);
    assertEquals("schemaRegistryUrl must be set (or schemaRegistry)", noRegistry.getMessage());
  }

  @Test
  void shouldTakeTheJobsVariableNameForTheServersBelowTheSdksOwn() {
    Map<String, Object> jobNameOnly =
        QmonPublisher.builder()
            .fromEnvironment(Map.of("QMON_KAFKA_BOOTSTRAP_SERVERS", "job:9092"))
            .kafkaConfig();
    assertEquals("job:9092", jobNameOnly.get("bootstrap.servers"));
    Map<String, Object> both =
        QmonPublisher.builder()
            .fromEnvironment(
                Map.of(
                    "QMON_KAFKA_BOOTSTRAP_SERVERS",
                    "job:9092",
                    "QMON_BOOTSTRAP_SERVERS",
                    "sdk:9092"))
            .kafkaConfig();
    assertEquals("sdk:9092", both.get("bootstrap.servers"));
  }
}
