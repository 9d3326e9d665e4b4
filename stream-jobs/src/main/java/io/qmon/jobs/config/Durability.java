package io.qmon.jobs.config;

import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * How the job survives failures: checkpoints (interval, folder, retained on cancellation, how many
 * may fail), the state backend, and a restart strategy whose backoff grows while failures follow
 * each other and starts again after a quiet period — so transient failures days apart never use up
 * a lifetime budget.
 *
 * <p>Everything is expressed as Flink configuration, which the job carries to the cluster; settings
 * left out (no {@code job.checkpoint-dir}) fall back to the cluster's own {@code config.yaml}.
 */
public final class Durability {
  private Durability() {}

  /** Applies {@link #settings} to the environment. */
  public static void apply(StreamExecutionEnvironment env, JobConfig config) {
    env.configure(settings(config));
  }

  /**
   * The Flink settings for this configuration.
   *
   * @throws IllegalArgumentException for exactly-once without checkpoints, which could never commit
   *     its transactions
   */
  public static Configuration settings(JobConfig config) {
    Configuration settings = new Configuration();
    // Flink's exponential-delay strategy needs at least one attempt; none means no restarts.
    settings.set(
        RestartStrategyOptions.RESTART_STRATEGY,
        config.restartAttempts() == 0 ? "none" : "exponential-delay");
    settings.set(
        RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF,
        Duration.ofMillis(config.restartInitialBackoffMs()));
    settings.set(
        RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF,
        Duration.ofMillis(config.restartMaxBackoffMs()));
    settings.set(
        RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_BACKOFF_MULTIPLIER,
        config.restartBackoffMultiplier());
    settings.set(
        RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD,
        Duration.ofMillis(config.restartResetBackoffThresholdMs()));
    settings.set(
        RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_JITTER_FACTOR,
        config.restartJitter());
    settings.set(
        RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS,
        config.restartAttempts());

    settings.set(StateBackendOptions.STATE_BACKEND, config.stateBackend());
    long interval = config.checkpointIntervalMs();
    if (interval <= 0) {
      if (config.exactlyOnce()) {
        throw new IllegalArgumentException(
            "job.delivery-guarantee = exactly-once needs job.checkpoint-interval-ms > 0");
      }
      return settings;
    }
    settings.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(interval));
    // Barriers are aligned in both guarantees: the sinks' record ids make replays recognisable,
    // and aligned snapshots keep every operator's state consistent with the sources' offsets.
    settings.set(
        CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
    settings.set(
        CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
        ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    settings.set(
        CheckpointingOptions.TOLERABLE_FAILURE_NUMBER, config.tolerableCheckpointFailures());
    if (config.stateBackend().equals("rocksdb")) {
      // Only what changed since the last checkpoint is uploaded: large state, small checkpoints.
      settings.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
    }
    config
        .checkpointDir()
        .ifPresent(
            dir -> {
              settings.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
              settings.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir);
            });
    return settings;
  }
}
