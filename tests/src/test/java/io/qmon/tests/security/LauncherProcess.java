package io.qmon.tests.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code qmon <command>} in its own JVM with this test's classpath, as the {@code qmon} script runs
 * it: its own home, launcher log file and combined output file.
 */
final class LauncherProcess implements AutoCloseable {
  final Path home;
  final Path output;
  final Path logFile;
  final Process process;

  private LauncherProcess(Path home, Process process) {
    this.home = home;
    this.output = home.resolve("output.txt");
    this.logFile = home.resolve("qmon.log");
    this.process = process;
  }

  /** Starts {@code qmon args...}; {@code jvmOptions} go before the main class. */
  static LauncherProcess start(String name, List<String> jvmOptions, String... args)
      throws IOException {
    return start(name, jvmOptions, true, args);
  }

  /**
   * Starts {@code qmon args...}; {@code withVenv}: it finds the project virtualenv (and so starts
   * an MLflow server), as the qmon script lets it; without, it runs as for a user without one.
   */
  static LauncherProcess start(
      String name, List<String> jvmOptions, boolean withVenv, String... args) throws IOException {
    Path home = Path.of(System.getProperty("qmon.home")).resolve(name);
    Files.createDirectories(home);
    Files.deleteIfExists(home.resolve("output.txt"));
    Files.deleteIfExists(home.resolve("qmon.log"));
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dqmon.home=" + home,
                "-Dqmon.log.file=" + home.resolve("qmon.log"),
                // Each test starts from nothing; a test that resumes passes -Dqmon.persist=true.
                "-Dqmon.persist=false",
                // The servers may start as slowly as this test's own (another IT fork loads the
                // machine); jvmOptions come later, so a test's own value wins.
                "-Dqmon.startup-timeout-s=" + Long.getLong("qmon.startup-timeout-s", 240)));
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.qmon.launcher.Qmon"));
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(home.resolve("output.txt").toFile());
    if (withVenv) {
      // The demo finds the project virtualenv (MLflow) under QMON_ROOT, as the qmon script sets it.
      builder.environment().put("QMON_ROOT", System.getProperty("qmon.root"));
    } else {
      // Under ./qmon test this JVM inherits the script's QMON_ROOT: without removing it the child
      // would find the venv and start an MLflow server after all (~40 s of a loaded CI machine).
      builder.environment().remove("QMON_ROOT");
    }
    return new LauncherProcess(home, builder.start());
  }

  String output() throws IOException {
    return Files.exists(output) ? Files.readString(output) : "";
  }

  String log() throws IOException {
    return Files.exists(logFile) ? Files.readString(logFile) : "";
  }

  /** Waits until the output contains {@code text}; fails if the process exits first. */
  void awaitOutput(String text, int seconds) throws Exception {
    awaitOutput(java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(text)), seconds);
  }

  /** Waits until some of the output matches {@code pattern}; fails if the process exits first. */
  void awaitOutput(java.util.regex.Pattern pattern, int seconds) throws Exception {
    String text = pattern.pattern();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      if (pattern.matcher(output()).find()) {
        return;
      }
      if (!process.isAlive()) {
        throw new AssertionError("qmon exited early (" + process.exitValue() + "):\n" + output());
      }
      Thread.sleep(200);
    }
    throw new AssertionError("qmon did not print '" + text + "' in time:\n" + output());
  }

  /** SIGTERM (the shutdown hooks run, as on Ctrl-C), then whatever is left is killed. */
  @Override
  public void close() throws Exception {
    if (process.isAlive()) {
      new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start().waitFor();
      process.waitFor(60, TimeUnit.SECONDS);
    }
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }
}
