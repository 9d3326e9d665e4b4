package io.qmon.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a job from the newest retained checkpoint in a {@code file://} checkpoint folder, and from
 * the committed offsets of its consumer group when there is none or it cannot be restored.
 *
 * <p>A checkpoint the job cannot restore (an operator's state that no operator of this job takes, a
 * state layout that changed, a damaged file) would otherwise make every restart fail the same way,
 * restarting forever. So the restored job is on probation until it completes a checkpoint of its
 * own (proof that every task restored and runs); if it fails or restarts before, it is cancelled,
 * the checkpoint is moved aside (kept for inspection, never tried again) and the job starts afresh.
 */
public final class CheckpointResume {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointResume.class);
  private static final Set<JobStatus> FAILING =
      EnumSet.of(JobStatus.FAILING, JobStatus.FAILED, JobStatus.RESTARTING, JobStatus.CANCELED);

  /** Submits the job, restoring from the given checkpoint folder if present. */
  @FunctionalInterface
  public interface Submitter {
    JobClient submit(Optional<Path> restoreFrom) throws Exception;
  }

  /** The running job and one line saying where it started from. */
  public record Outcome(JobClient job, String startedFrom, boolean resumed) {}

  private CheckpointResume() {}

  /**
   * Submits the job from the newest complete checkpoint under {@code checkpointRoot}, or from the
   * committed offsets.
   *
   * @param probation how long a restored job may take to complete its first checkpoint before it is
   *     trusted anyway (it restored, but checkpoints are slow)
   */
  public static Outcome start(Path checkpointRoot, Submitter submitter, Duration probation)
      throws Exception {
    Optional<Path> latest = RetainedCheckpoints.latest(checkpointRoot);
    if (latest.isEmpty()) {
      JobClient job = submitter.submit(Optional.empty());
      return new Outcome(
          job, "the committed offsets (no retained checkpoint in " + checkpointRoot + ")", false);
    }
    Path checkpoint = latest.get();
    LOG.info("Resuming the job from its retained checkpoint {}", checkpoint);
    JobClient restored = null;
    Optional<String> failure;
    try {
      restored = submitter.submit(latest);
      failure = probation(restored, checkpointRoot, checkpoint, probation);
    } catch (Exception e) {
      // The JobMaster checks that every operator state of the checkpoint has an operator in this
      // job before the job starts; the MiniCluster's submission fails with that refusal.
      failure = Optional.of(JobWatcher.describe(e));
      if (restored != null) {
        cancelQuietly(restored);
      }
    }
    if (failure.isEmpty()) {
      Path jobDir = checkpointRoot.resolve(restored.getJobID().toString());
      if (RetainedCheckpoints.hasCompleteCheckpointAfter(
          jobDir, RetainedCheckpoints.number(checkpoint))) {
        RetainedCheckpoints.deleteJobsOtherThan(checkpointRoot, jobDir);
      }
      return new Outcome(restored, "checkpoint " + checkpoint, true);
    }
    Path aside = moveAside(checkpointRoot, checkpoint);
    String reason =
        "checkpoint "
            + checkpoint
            + " could not be restored ("
            + failure.get()
            + "); it was moved to "
            + aside
            + "; the job starts from the committed offsets instead, and the state of runs in"
            + " flight (open runs, windows, detectors) starts empty";
    LOG.error("Cannot resume: {}", reason);
    JobClient fresh = submitter.submit(Optional.empty());
    return new Outcome(fresh, "the committed offsets: " + reason, false);
  }

  /** Empty when the restored job completed a checkpoint of its own; else why it failed. */
  private static Optional<String> probation(
      JobClient job, Path checkpointRoot, Path checkpoint, Duration probation) throws Exception {
    long restoredNumber = RetainedCheckpoints.number(checkpoint);
    Path jobDir = checkpointRoot.resolve(job.getJobID().toString());
    long deadline = System.nanoTime() + probation.toNanos();
    while (System.nanoTime() < deadline) {
      if (job.getJobExecutionResult().isDone()) {
        return Optional.of(failureOf(job));
      }
      JobStatus status = job.getJobStatus().get(10, TimeUnit.SECONDS);
      if (FAILING.contains(status)) {
        cancelQuietly(job);
        if (job.getJobExecutionResult().isCompletedExceptionally()) {
          String cause = failureOf(job);
          if (!cause.contains("JobCancellationException")) {
            return Optional.of(cause);
          }
        }
        return Optional.of(
            "the restored job went to "
                + status
                + " before its first checkpoint; the cause is in the launcher log");
      }
      if (RetainedCheckpoints.hasCompleteCheckpointAfter(jobDir, restoredNumber)) {
        return Optional.empty();
      }
      Thread.sleep(100);
    }
    LOG.warn(
        "The job restored from {} has not completed a checkpoint within {}; trusting the restore",
        checkpoint,
        probation);
    return Optional.empty();
  }

  private static String failureOf(JobClient job) {
    try {
      job.getJobExecutionResult().get();
      return "the restored job finished at once";
    } catch (java.util.concurrent.ExecutionException e) {
      return JobWatcher.describe(e.getCause() == null ? e : e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted while reading the failure";
    }
  }

  private static void cancelQuietly(JobClient job) throws InterruptedException {
    try {
      job.cancel().get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      // A job that already failed cannot be cancelled; it is gone either way.
      LOG.debug("Cancelling job {} on probation: {}", job.getJobID(), e.toString());
    }
    try {
      job.getJobExecutionResult().get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      // Its failure or cancellation is read by the caller.
      LOG.debug("Job {} on probation ended: {}", job.getJobID(), e.toString());
    }
  }

  /** Moves the unrestorable checkpoint's job folder beside the checkpoint folder. */
  private static Path moveAside(Path checkpointRoot, Path checkpoint) {
    Path jobDir = checkpoint.getParent();
    Path aside =
        checkpointRoot
            .toAbsolutePath()
            .resolveSibling(checkpointRoot.getFileName() + "-unrestorable")
            .resolve(jobDir.getFileName() + "-" + checkpoint.getFileName());
    try {
      Files.createDirectories(aside.getParent());
      Files.move(jobDir, aside);
      return aside;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot move the unrestorable checkpoint " + jobDir + " aside to " + aside, e);
    }
  }
}
