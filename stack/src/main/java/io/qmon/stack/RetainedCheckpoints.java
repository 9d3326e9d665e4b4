package io.qmon.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The checkpoints Flink retained in a {@code file://} checkpoint folder, laid out as Flink writes
 * them: {@code <root>/<job id>/chk-<n>/_metadata}. A checkpoint is complete once its {@code
 * _metadata} file exists (Flink writes it last); a {@code chk-<n>} folder without one was cut short
 * and cannot be restored.
 */
public final class RetainedCheckpoints {
  private static final Pattern CHECKPOINT = Pattern.compile("chk-(\\d+)");
  private static final String METADATA = "_metadata";

  private RetainedCheckpoints() {}

  /**
   * The newest complete checkpoint under {@code root}: the one whose {@code _metadata} was written
   * last (checkpoint numbers start again at 1 when a job starts without restoring, so the number
   * alone does not order checkpoints of different jobs); among equal times, the higher number.
   */
  public static Optional<Path> latest(Path root) {
    if (!Files.isDirectory(root)) {
      return Optional.empty();
    }
    try (Stream<Path> jobs = Files.list(root)) {
      return jobs.filter(Files::isDirectory)
          .flatMap(RetainedCheckpoints::completeCheckpoints)
          .max(
              Comparator.comparing(RetainedCheckpoints::metadataTime)
                  .thenComparingLong(RetainedCheckpoints::number))
          .map(Path::toAbsolutePath);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list the checkpoints under " + root, e);
    }
  }

  /** The complete checkpoints of one job's folder. */
  static Stream<Path> completeCheckpoints(Path jobDir) {
    try (Stream<Path> entries = Files.list(jobDir)) {
      List<Path> complete =
          entries
              .filter(path -> CHECKPOINT.matcher(path.getFileName().toString()).matches())
              .filter(path -> Files.isRegularFile(path.resolve(METADATA)))
              .toList();
      return complete.stream();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list the checkpoints under " + jobDir, e);
    }
  }

  /** The number {@code n} of a {@code chk-<n>} folder. */
  public static long number(Path checkpoint) {
    Matcher matcher = CHECKPOINT.matcher(checkpoint.getFileName().toString());
    if (!matcher.matches()) {
      throw new IllegalArgumentException(checkpoint + " is not a chk-<n> checkpoint folder");
    }
    return Long.parseLong(matcher.group(1));
  }

  /**
   * Whether {@code jobDir} holds a complete checkpoint numbered above {@code after}: proof that a
   * job restored from checkpoint {@code after} (numbers continue from the restored one) runs.
   */
  public static boolean hasCompleteCheckpointAfter(Path jobDir, long after) {
    if (!Files.isDirectory(jobDir)) {
      return false;
    }
    return completeCheckpoints(jobDir).anyMatch(checkpoint -> number(checkpoint) > after);
  }

  /**
   * Deletes every job folder under {@code root} but {@code keepJob}: Flink retains the last
   * checkpoint of every job it ran, and each start of the stack is a new job. Call it once the kept
   * job has completed a checkpoint of its own, which (restore mode NO_CLAIM) shares no file with
   * the checkpoint it restored from.
   */
  public static void deleteJobsOtherThan(Path root, Path keepJob) {
    Path keep = keepJob.toAbsolutePath();
    try (Stream<Path> jobs = Files.list(root)) {
      for (Path job : jobs.filter(Files::isDirectory).toList()) {
        if (!job.toAbsolutePath().equals(keep)) {
          FileTrees.delete(job);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list the checkpoints under " + root, e);
    }
  }

  private static FileTime metadataTime(Path checkpoint) {
    try {
      return Files.getLastModifiedTime(checkpoint.resolve(METADATA));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the time of " + checkpoint.resolve(METADATA), e);
    }
  }
}
