package io.qmon.jobs.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.CheckpointConfig;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

class DurabilityTest {
  @Test
  void shouldRestartWithAnExponentialBackoffThatResetsAfterAQuietPeriodByDefault() {
    Map<String, String> flink = Durability.settings(JobConfig.of(Map.of())).toMap();

    assertEquals("exponential-delay", flink.get("restart-strategy.type"));
    assertEquals(
        Duration.ofSeconds(1),
        duration(flink.get("restart-strategy.exponential-delay.initial-backoff")));
    assertEquals(
        Duration.ofMinutes(1),
        duration(flink.get("restart-strategy.exponential-delay.max-backoff")));
    assertEquals(
        2.0,
        Double.parseDouble(flink.get("restart-strategy.exponential-delay.backoff-multiplier")));
    assertEquals(
        Duration.ofMinutes(10),
        duration(flink.get("restart-strategy.exponential-delay.reset-backoff-threshold")));
    assertEquals(
        0.1, Double.parseDouble(flink.get("restart-strategy.exponential-delay.jitter-factor")));
    assertEquals(
        String.valueOf(Integer.MAX_VALUE),
        flink.get("restart-strategy.exponential-delay.attempts-before-reset-backoff"));
  }

  @Test
  void shouldRetainCheckpointsOnCancellationAndLeaveTheFolderToTheClusterByDefault() {
    Map<String, String> flink = Durability.settings(JobConfig.of(Map.of())).toMap();

    assertEquals(Duration.ofSeconds(5), duration(flink.get("execution.checkpointing.interval")));
    assertEquals(
        "RETAIN_ON_CANCELLATION",
        flink.get("execution.checkpointing.externalized-checkpoint-retention"));
    assertEquals("3", flink.get("execution.checkpointing.tolerable-failed-checkpoints"));
    assertEquals("hashmap", flink.get("state.backend.type"));
    assertFalse(flink.containsKey("execution.checkpointing.dir"), flink.toString());
    assertFalse(flink.containsKey("execution.checkpointing.storage"), flink.toString());
  }

  @Test
  void shouldWriteCheckpointsToTheGivenFolderWithRocksDbIncrementally() {
    Map<String, String> flink =
        Durability.settings(
                JobConfig.of(
                    Map.of(
                        "job.checkpoint-dir", "file:///var/qmon/checkpoints",
                        "job.state-backend", "rocksdb",
                        "job.tolerable-checkpoint-failures", "0",
                        "job.restart-attempts", "7",
                        "job.checkpoint-interval-ms", "1000")))
            .toMap();

    assertEquals("file:///var/qmon/checkpoints", flink.get("execution.checkpointing.dir"));
    assertEquals("filesystem", flink.get("execution.checkpointing.storage"));
    assertEquals("rocksdb", flink.get("state.backend.type"));
    assertEquals("true", flink.get("execution.checkpointing.incremental"));
    assertEquals("0", flink.get("execution.checkpointing.tolerable-failed-checkpoints"));
    assertEquals(
        "7", flink.get("restart-strategy.exponential-delay.attempts-before-reset-backoff"));
    assertEquals(Duration.ofSeconds(1), duration(flink.get("execution.checkpointing.interval")));
  }

  @Test
  void shouldReachTheEnvironmentsCheckpointConfig() {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    Durability.apply(
        env,
        JobConfig.of(
            Map.of(
                "job.checkpoint-interval-ms", "1500", "job.tolerable-checkpoint-failures", "4")));

    CheckpointConfig checkpoints = env.getCheckpointConfig();
    assertEquals(1500, checkpoints.getCheckpointInterval());
    assertEquals(4, checkpoints.getTolerableCheckpointFailureNumber());
    assertTrue(checkpoints.isExternalizedCheckpointsEnabled());
    assertFalse(checkpoints.getExternalizedCheckpointRetention().deleteOnCancellation());
  }

  @Test
  void shouldNotCheckpointWhenTheIntervalIsZeroUnlessExactlyOnceNeedsIt() {
    Configuration off =
        Durability.settings(JobConfig.of(Map.of("job.checkpoint-interval-ms", "0")));
    assertFalse(off.toMap().containsKey("execution.checkpointing.interval"), off.toString());

    IllegalArgumentException refused =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Durability.settings(
                    JobConfig.of(
                        Map.of(
                            "job.checkpoint-interval-ms",
                            "0",
                            "job.delivery-guarantee",
                            "exactly-once"))));
    assertTrue(refused.getMessage().contains("job.checkpoint-interval-ms"), refused.getMessage());
  }

  @Test
  void shouldRefuseBadDurabilitySettingsNamingTheOption() {
    for (Map.Entry<String, String> bad :
        Map.of(
                "job.state-backend", "memory",
                "job.restart-attempts", "-1",
                "job.restart-backoff-multiplier", "0.5",
                "job.restart-jitter", "1.5",
                "job.tolerable-checkpoint-failures", "-1",
                "job.restart-max-backoff-ms", "soon")
            .entrySet()) {
      IllegalArgumentException refused =
          assertThrows(
              IllegalArgumentException.class,
              () -> Durability.settings(JobConfig.of(Map.ofEntries(bad))),
              bad.toString());
      assertTrue(refused.getMessage().contains(bad.getKey()), refused.getMessage());
    }
  }

  @Test
  void shouldNotRestartAtAllWithZeroRestartAttempts() {
    Configuration settings = Durability.settings(JobConfig.of(Map.of("job.restart-attempts", "0")));
    assertEquals("none", settings.get(RestartStrategyOptions.RESTART_STRATEGY));
  }

  /** Flink writes durations as e.g. {@code 1 s} or {@code 60000 ms}; parsed independently here. */
  private static Duration duration(String flinkText) {
    String[] parts = flinkText.trim().split("\\s+");
    long amount = Long.parseLong(parts[0]);
    String unit = parts.length > 1 ? parts[1] : "ms";
    return switch (unit) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "min" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      default -> throw new IllegalArgumentException("unit of " + flinkText);
    };
  }
}
