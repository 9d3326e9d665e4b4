package io.qmon.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qmon.stack.CheckpointResume;
import io.qmon.stack.RetainedCheckpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded stack's resume ({@link CheckpointResume}) on a real Flink MiniCluster: a job resumes
 * from its own retained checkpoint, and a checkpoint it cannot restore (state of an operator this
 * job no longer has, as after a change of the job's layout) is said so, moved aside, and the job
 * starts afresh once instead of restarting forever.
 */
class UnrestorableCheckpointIT {
  @TempDir Path work;

  @Test
  void shouldResumeFromItsOwnCheckpointAndStartAfreshFromOneItCannotRestore() throws Exception {
    Path root = work.resolve("checkpoints");
    JobClient old = submit(root, "counter-v1", Optional.empty());
    awaitCheckpoint(root);
    old.cancel().get(30, TimeUnit.SECONDS);
    Path retained = RetainedCheckpoints.latest(root).orElseThrow();

    CheckpointResume.Outcome same =
        CheckpointResume.start(
            root, restore -> submit(root, "counter-v1", restore), Duration.ofSeconds(120));
    System.out.println("UnrestorableCheckpointIT same layout: started from " + same.startedFrom());
    assertTrue(same.resumed(), same.startedFrom());
    assertEquals("checkpoint " + retained, same.startedFrom());
    assertEquals(JobStatus.RUNNING, same.job().getJobStatus().get(10, TimeUnit.SECONDS));
    same.job().cancel().get(30, TimeUnit.SECONDS);
    Path unrestorable = RetainedCheckpoints.latest(root).orElseThrow();

    CheckpointResume.Outcome changed =
        CheckpointResume.start(
            root, restore -> submit(root, "counter-v2", restore), Duration.ofSeconds(120));
    System.out.println(
        "UnrestorableCheckpointIT changed layout: started from " + changed.startedFrom());
    assertFalse(changed.resumed());
    assertTrue(
        changed.startedFrom().contains("checkpoint " + unrestorable + " could not be restored"),
        changed.startedFrom());
    assertTrue(changed.startedFrom().contains("committed offsets"), changed.startedFrom());
    assertEquals(JobStatus.RUNNING, changed.job().getJobStatus().get(10, TimeUnit.SECONDS));
    assertFalse(Files.exists(unrestorable), "the unrestorable checkpoint is moved aside");
    assertTrue(Files.isDirectory(work.resolve("checkpoints-unrestorable")));
    changed.job().cancel().get(30, TimeUnit.SECONDS);
  }

  /** A slow counting job whose one stateful operator has the given uid. */
  private static JobClient submit(Path root, String uid, Optional<Path> restore) throws Exception {
    Configuration flink = new Configuration();
    flink.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
    flink.set(RestOptions.ADDRESS, "127.0.0.1");
    flink.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(300));
    flink.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
    flink.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, root.toUri().toString());
    flink.set(
        CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
        ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    flink.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    flink.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, Integer.MAX_VALUE);
    flink.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
    restore.ifPresent(
        checkpoint ->
            flink.set(StateRecoveryOptions.SAVEPOINT_PATH, checkpoint.toUri().toString()));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, flink);
    env.fromSequence(1, Long.MAX_VALUE)
        .uid("numbers")
        .map(new Throttle())
        .uid("throttle")
        .keyBy(n -> n % 4)
        .map(new Count())
        .uid(uid)
        .sinkTo(new DiscardingSink<>())
        .uid("discard");
    return env.executeAsync("unrestorable-checkpoint-" + uid);
  }

  private static void awaitCheckpoint(Path root) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (RetainedCheckpoints.latest(root).isEmpty()) {
      assertTrue(System.nanoTime() < deadline, "a retained checkpoint under " + root);
      Thread.sleep(100);
    }
  }

  /**
   * Slows the source down in its own task (chained to it): a slow operator behind a network buffer
   * would hold every checkpoint barrier back behind thousands of queued records.
   */
  private static final class Throttle extends RichMapFunction<Long, Long> {
    private static final long serialVersionUID = 1L;

    @Override
    public Long map(Long value) throws Exception {
      Thread.sleep(1);
      return value;
    }
  }

  /** Counts per key: keyed state under the uid the test chooses. */
  private static final class Count extends RichMapFunction<Long, Long> {
    private static final long serialVersionUID = 1L;
    private transient ValueState<Long> count;

    @Override
    public void open(OpenContext context) {
      count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Long.class));
    }

    @Override
    public Long map(Long value) throws Exception {
      long next = (count.value() == null ? 0 : count.value()) + 1;
      count.update(next);
      return next;
    }
  }
}
