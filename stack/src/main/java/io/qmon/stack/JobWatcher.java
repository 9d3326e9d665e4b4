package io.qmon.stack;

import io.qmon.schemas.config.Redaction;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.core.execution.JobClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches a submitted monitoring job and says when it has ended, and why: a streaming job never
 * ends on its own, so its end is a failure (restarts exhausted), or a cancellation from outside.
 * The launcher uses it to stop claiming the stack is up once the job is gone.
 */
public final class JobWatcher {
  private static final Logger LOG = LoggerFactory.getLogger(JobWatcher.class);
  private static final int MAX_CAUSES = 8;

  private final JobClient job;
  private final CompletableFuture<String> ended = new CompletableFuture<>();

  private JobWatcher(JobClient job) {
    this.job = job;
  }

  /** Starts watching {@code job}; the returned watcher completes when the job ends. */
  public static JobWatcher watch(JobClient job) {
    JobWatcher watcher = new JobWatcher(job);
    job.getJobExecutionResult()
        .whenComplete(
            (result, error) -> {
              String reason;
              if (error == null) {
                reason = "the job finished, although a streaming job never should";
                LOG.error("Monitoring job {} ended: {}", job.getJobID(), reason);
              } else if (wasCancelled(error)) {
                // Closing the stack cancels the job; a cancellation from outside is reported too.
                reason = describe(error);
                LOG.warn("Monitoring job {} was cancelled: {}", job.getJobID(), reason);
              } else {
                reason = describe(error);
                LOG.error("Monitoring job {} ended: {}", job.getJobID(), reason, error);
              }
              watcher.ended.complete(reason);
            });
    return watcher;
  }

  private static boolean wasCancelled(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getClass().getSimpleName().equals("JobCancellationException")) {
        return true;
      }
    }
    return false;
  }

  /** Completes, with the reason, when the job has ended. */
  public CompletableFuture<String> ended() {
    return ended;
  }

  /** The reason the job ended, if it has. */
  public Optional<String> endReason() {
    return Optional.ofNullable(ended.getNow(null));
  }

  /** Throws {@link JobEndedException} if the job has ended. */
  public void check() {
    Optional<String> reason = endReason();
    if (reason.isPresent()) {
      throw new JobEndedException(job.getJobID().toString(), reason.get());
    }
  }

  /**
   * The cause chain of a job's failure, one "Type: message" per cause, outermost first (Flink wraps
   * the operator's exception in its own), with any URL credentials redacted.
   */
  static String describe(Throwable error) {
    List<String> causes = new ArrayList<>();
    Throwable t = error;
    while (t != null && causes.size() < MAX_CAUSES) {
      if (!(t instanceof java.util.concurrent.CompletionException
          || t instanceof java.util.concurrent.ExecutionException)) {
        String message = t.getMessage() == null ? "" : ": " + t.getMessage();
        causes.add(Redaction.urls(t.getClass().getName() + message));
      }
      if (t.getCause() == t) {
        break;
      }
      t = t.getCause();
    }
    return String.join("\n  caused by ", causes);
  }

  /** The text the launcher prints when the job has ended: what, why and where the logs are. */
  public static String failureReport(String command, String reason, Path logDir) {
    String launcherLog = System.getProperty("qmon.log.file");
    return command
        + ": the monitoring job FAILED and is no longer running; the stack is stopping.\n"
        + "  cause: "
        + reason
        + "\n  logs: "
        + (launcherLog == null ? "" : launcherLog + " (launcher and Flink), ")
        + logDir
        + " (broker, registry)";
  }

  /** The monitoring job is no longer running. */
  public static final class JobEndedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String reason;

    JobEndedException(String jobId, String reason) {
      super("Monitoring job " + jobId + " ended: " + reason);
      this.reason = reason;
    }

    public String reason() {
      return reason;
    }
  }
}
