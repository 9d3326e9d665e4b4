package io.qmon.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pid files of a persistent stack's servers, so a start after {@code kill -9} of the launcher can
 * stop what the killed launcher left running. The broker and registry leave by themselves (their
 * {@code ParentWatchdog} sees the launcher go), but MLflow and a broker still flushing its logs
 * would otherwise hold the ports and the state folders the new start needs.
 *
 * <p>A file holds the pid and the process' start time: a pid the system has since given to another
 * program is never touched.
 */
public final class PidFiles {
  private static final Logger LOG = LoggerFactory.getLogger(PidFiles.class);

  private PidFiles() {}

  /** Records {@code process} (and so its children) as {@code file}. */
  public static void write(Path file, ProcessHandle process) {
    Optional<Instant> started = process.info().startInstant();
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(
          file, process.pid() + " " + started.map(Instant::toString).orElse("unknown") + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the pid file " + file, e);
    }
  }

  /**
   * Kills the process {@code file} names, with its children, if it still runs (and is the same
   * process: same start time), waits until it is gone, and deletes the file.
   */
  public static void stopLeftover(Path file) {
    if (!Files.isRegularFile(file)) {
      return;
    }
    List<String> fields;
    try {
      fields = List.of(Files.readString(file).trim().split("\\s+"));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the pid file " + file, e);
    }
    Optional<ProcessHandle> process =
        fields.isEmpty() || fields.get(0).isEmpty()
            ? Optional.empty()
            : ProcessHandle.of(Long.parseLong(fields.get(0)));
    String recordedStart = fields.size() > 1 ? fields.get(1) : "unknown";
    if (process.isPresent()
        && process.get().isAlive()
        && recordedStart.equals(
            process.get().info().startInstant().map(Instant::toString).orElse("unknown"))) {
      LOG.warn(
          "Stopping process {} left running by an earlier stack that did not stop cleanly ({})",
          process.get().pid(),
          file);
      process.get().descendants().forEach(ProcessHandle::destroyForcibly);
      process.get().destroyForcibly();
      try {
        process.get().onExit().get(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while stopping process " + fields.get(0), e);
      } catch (ExecutionException | TimeoutException e) {
        throw new IllegalStateException(
            "Process " + fields.get(0) + " named in " + file + " did not stop", e);
      }
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot delete the pid file " + file, e);
    }
  }
}
