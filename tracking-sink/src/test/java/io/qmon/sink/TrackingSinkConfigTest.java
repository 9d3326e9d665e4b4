package io.qmon.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrackingSinkConfigTest {
  private static final Map<String, String> REQUIRED =
      Map.of("kafka.bootstrap-servers", "127.0.0.1:9092", "schema-registry.url", "http://r");

  @Test
  void shouldApplyDefaultsAndParseTypedValues() throws Exception {
    TrackingSinkConfig config =
        TrackingSinkMain.parse(
            new String[] {
              "kafka.bootstrap-servers=k:1",
              "schema-registry.url=http://r",
              "mlflow.read-timeout=PT30S",
              "alerts.webhook-urls=http://a, http://b"
            });
    assertEquals("127.0.0.1", config.get(TrackingSinkConfig.PROMETHEUS_HOST));
    assertEquals(Duration.ofSeconds(30), config.get(TrackingSinkConfig.MLFLOW_READ_TIMEOUT));
    assertEquals("read_committed", config.get(TrackingSinkConfig.ISOLATION_LEVEL));
    assertEquals(
        List.of("http://a", "http://b"), config.get(TrackingSinkConfig.ALERTS_WEBHOOK_URLS));
    assertEquals(1000, config.get(TrackingSinkConfig.MLFLOW_BATCH_MAX_METRICS));
  }

  @Test
  void shouldNameTheKeyOfAMissingOrBadSetting() {
    IllegalArgumentException missing =
        assertThrows(IllegalArgumentException.class, () -> TrackingSinkConfig.of(Map.of()));
    assertTrue(missing.getMessage().contains("kafka.bootstrap-servers"));
    IllegalArgumentException bad =
        assertThrows(
            IllegalArgumentException.class,
            () -> TrackingSinkConfig.of(REQUIRED).with(Map.of("mlflow.batch-max-metrics", "5000")));
    assertTrue(bad.getMessage().contains("mlflow.batch-max-metrics"));
    assertThrows(
        IllegalArgumentException.class,
        () -> TrackingSinkConfig.of(REQUIRED).with(Map.of("prometheus.prot", "1")));
  }

  @Test
  void shouldPassKafkaPropertiesThroughWithCommasAndQuotesInTheirValues() throws Exception {
    String jaas =
        "org.apache.kafka.common.security.plain.PlainLoginModule required"
            + " username=\"a,b\" password=\"p=w,d\";";
    TrackingSinkConfig config =
        TrackingSinkMain.parse(
            new String[] {
              "kafka.bootstrap-servers=k:1",
              "schema-registry.url=http://r",
              "kafka.properties.security.protocol=SASL_SSL",
              "kafka.properties.sasl.mechanism=PLAIN",
              "kafka.properties.sasl.jaas.config=" + jaas
            });
    assertEquals(
        Map.of(
            "security.protocol", "SASL_SSL", "sasl.mechanism", "PLAIN", "sasl.jaas.config", jaas),
        config.kafkaProperties());
    java.util.Properties consumer =
        io.qmon.sink.kafka.ConsumerSettings.of(config, "mlflow", "earliest", false);
    assertEquals(jaas, consumer.get("sasl.jaas.config"));
    assertEquals("read_committed", consumer.get("isolation.level"));
    assertEquals("qmon-sink-mlflow", consumer.get("group.id"));
    IllegalArgumentException reserved =
        assertThrows(
            IllegalArgumentException.class,
            () -> TrackingSinkConfig.of(REQUIRED).with(Map.of("kafka.properties.group.id", "x")));
    assertTrue(reserved.getMessage().contains("kafka.properties.group.id"));
  }

  @Test
  void shouldNeverShowASecretWhenTheConfigIsLogged() {
    TrackingSinkConfig config =
        TrackingSinkConfig.of(REQUIRED)
            .with(
                Map.of(
                    "kafka.properties.sasl.jaas.config",
                    "PlainLoginModule required username=\"u\" password=\"hunter2\";",
                    "kafka.properties.ssl.truststore.password",
                    "hunter3",
                    "kafka.properties.basic.auth.user.info",
                    "u:hunter4",
                    "mlflow.tracking-token",
                    "hunter5",
                    "mlflow.connect-timeout",
                    "PT2S"));
    String logged = config.toString();
    for (String secret : List.of("hunter2", "hunter3", "hunter4", "hunter5")) {
      assertFalse(logged.contains(secret), logged);
    }
    assertTrue(logged.contains("kafka.properties.sasl.jaas.config=[redacted]"), logged);
    assertTrue(logged.contains("mlflow.connect-timeout=PT2S"), "the rest is shown: " + logged);
    assertFalse(config.mlflowConnection(Map.of()).toString().contains("hunter5"));
    IllegalArgumentException bad =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                TrackingSinkConfig.of(REQUIRED)
                    .with(Map.of("mlflow.tracking-password", "hunter6"))
                    .mlflowConnection(Map.of()));
    assertFalse(bad.getMessage().contains("hunter6"), bad.getMessage());
  }

  @Test
  void shouldTakeMlflowCredentialsFromTheOptionsOrMlflowsEnvironmentVariables() {
    TrackingSinkConfig config = TrackingSinkConfig.of(REQUIRED);
    assertEquals(
        "Bearer t0k",
        config.mlflowConnection(Map.of("MLFLOW_TRACKING_TOKEN", "t0k")).authorization());
    assertEquals(
        "Basic dTpw",
        config
            .mlflowConnection(
                Map.of("MLFLOW_TRACKING_USERNAME", "u", "MLFLOW_TRACKING_PASSWORD", "p"))
            .authorization());
    assertEquals(
        "Bearer opt",
        config
            .with(Map.of("mlflow.tracking-token", "opt"))
            .mlflowConnection(Map.of("MLFLOW_TRACKING_TOKEN", "env"))
            .authorization());
    assertEquals(null, config.mlflowConnection(Map.of()).authorization());
  }
}
