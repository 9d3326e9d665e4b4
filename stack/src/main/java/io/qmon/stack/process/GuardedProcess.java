package io.qmon.stack.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A program that is not a Java class of ours (a Flink daemon script, Prometheus, Alertmanager,
 * MLflow) run in its own process group under a small bash guard, with its output in a log file.
 *
 * <p>The guard writes the program's pid to a file and kills the program's whole process group with
 * SIGKILL as soon as this JVM is gone, so even a launcher killed with {@code kill -9} leaves
 * nothing behind ({@link io.qmon.stack.process.ParentWatchdog} does the same for child JVMs through
 * their stdin; these programs do not watch stdin). The guard exits with the program.
 */
public final class GuardedProcess {
  private final String name;
  private final Process shell;
  private final long pid;
  private final Path logFile;

  private GuardedProcess(String name, Process shell, long pid, Path logFile) {
    this.name = name;
    this.shell = shell;
    this.pid = pid;
    this.logFile = logFile;
  }

  /**
   * Starts {@code command} in {@code workDir} with extra environment variables and waits until its
   * pid is known.
   */
  public static GuardedProcess start(
      String name, List<String> command, Path workDir, Path logFile, Map<String, String> env)
      throws IOException, InterruptedException {
    Files.createDirectories(logFile.toAbsolutePath().getParent());
    Path pidFile = Files.createTempFile(workDir, name + "-", ".pid");
    Files.delete(pidFile);
    // set -m: the program gets a process group of its own (its pid), so the guard can end the
    // program together with its workers (MLflow's gunicorn), and Ctrl-C in a terminal reaches only
    // the launcher, which stops everything in order.
    String guard =
        "set -m; \"$@\" & child=$!; echo $child > '"
            + pidFile
            + "'; (while kill -0 "
            + ProcessHandle.current().pid()
            + " 2>/dev/null && kill -0 $child 2>/dev/null; do sleep 1; done;"
            + " kill -9 -- -$child 2>/dev/null) & wait $child";
    List<String> full = new ArrayList<>(List.of("bash", "-c", guard, "qmon-" + name));
    full.addAll(command);
    ProcessBuilder builder =
        new ProcessBuilder(full)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
            .directory(workDir.toFile());
    builder.environment().putAll(env);
    Process shell = builder.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (Files.exists(pidFile)) {
        String pid = Files.readString(pidFile).strip();
        if (!pid.isEmpty()) {
          Files.delete(pidFile);
          return new GuardedProcess(name, shell, Long.parseLong(pid), logFile);
        }
      }
      if (!shell.isAlive()) {
        break;
      }
      Thread.sleep(50);
    }
    shell.destroyForcibly();
    throw new IllegalStateException(name + " did not start; see " + logFile);
  }

  public String name() {
    return name;
  }

  /** The program's pid (also its process group id). */
  public long pid() {
    return pid;
  }

  public Path logFile() {
    return logFile;
  }

  /** True while the program runs (the guard lives exactly as long). */
  public boolean isAlive() {
    return shell.isAlive();
  }

  /** Fails, naming the log file, when the program has exited. */
  public void checkAlive() {
    if (!shell.isAlive()) {
      throw new IllegalStateException(
          name + " exited with status " + shell.exitValue() + "; see " + logFile);
    }
  }

  /** Sends SIGKILL to the program alone, as {@code kill -9 <pid>} does, and waits for its end. */
  public void kill() throws IOException, InterruptedException {
    signal("-9", Long.toString(pid));
    if (!shell.waitFor(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("kill -9 " + pid + " did not end " + name);
    }
  }

  /**
   * Asks the program's process group to stop (SIGTERM), waits up to {@code graceSeconds}, then
   * kills the group.
   */
  public void stop(long graceSeconds) {
    try {
      if (shell.isAlive()) {
        signal("-TERM", "-" + pid);
        if (!shell.waitFor(graceSeconds, TimeUnit.SECONDS)) {
          signal("-9", "-" + pid);
          shell.waitFor(10, TimeUnit.SECONDS);
        }
      }
      // Workers that left the group's leader behind (or ignored SIGTERM) go with the group.
      signal("-9", "-" + pid);
    } catch (IOException e) {
      throw new IllegalStateException("Could not signal " + name + " (pid " + pid + ")", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void signal(String signal, String target)
      throws IOException, InterruptedException {
    // Exit status 1 means nothing was left to signal, which is what stopping wants.
    new ProcessBuilder("kill", signal, "--", target)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start()
        .waitFor();
  }

  @Override
  public String toString() {
    return name + " (pid " + pid + ", log " + logFile + ")";
  }
}
