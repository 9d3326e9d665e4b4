package io.qmon.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
              "prometheus.run-ttl=PT30S",
              "alerts.webhook-urls=http://a, http://b"
            });
    assertEquals("127.0.0.1", config.get(TrackingSinkConfig.PROMETHEUS_HOST));
    assertEquals(Duration.ofSeconds(30), config.get(TrackingSinkConfig.PROMETHEUS_RUN_TTL));
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
}
