package io.qmon.stack.process;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Java program run in its own JVM under {@link ParentWatchdog}, with its output in a log file.
 * Closing it asks it to stop (SIGTERM, so it runs its shutdown hooks) and kills it if it has not
 * stopped in time.
 */
public final class ChildProcess implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ChildProcess.class);

  private final String name;
  private final Process process;
  private final Path logFile;

  private ChildProcess(String name, Process process, Path logFile) {
    this.name = name;
    this.process = process;
    this.logFile = logFile;
  }

  /**
   * Starts {@code mainClass} with the given classpath entries, JVM options and arguments.
   *
   * @param logFile receives the child's standard output and error
   */
  public static ChildProcess start(
      String name,
      List<String> classpath,
      List<String> jvmOptions,
      String mainClass,
      List<String> args,
      Path workDir,
      Path logFile)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    List<String> fullClasspath = new ArrayList<>();
    fullClasspath.add(codeLocation(ParentWatchdog.class));
    fullClasspath.addAll(classpath);
    command.add("-cp");
    command.add(String.join(File.pathSeparator, fullClasspath));
    command.add(ParentWatchdog.class.getName());
    command.add(mainClass);
    command.addAll(args);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    LOG.info("Starting {}: {}", name, mainClass);
    return new ChildProcess(name, builder.start(), logFile);
  }

  /** Where a class was loaded from: a jar or a classes directory. */
  public static String codeLocation(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException("Cannot locate the code of " + type.getName(), e);
    }
  }

  /** Fails, naming the child's log file, when the child has already exited. */
  public void checkAlive() {
    if (!process.isAlive()) {
      throw new IllegalStateException(
          name + " exited with status " + process.exitValue() + "; see " + logFile);
    }
  }

  /** Sends SIGKILL (no shutdown hooks run) and waits until the process is gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException(name + " (pid " + process.pid() + ") outlived SIGKILL");
    }
  }

  /** Fails unless the process has ended, so a restart never runs two copies side by side. */
  public void checkDead() {
    if (process.isAlive()) {
      throw new IllegalStateException(name + " (pid " + process.pid() + ") still runs");
    }
  }

  public long pid() {
    return process.pid();
  }

  public Path logFile() {
    return logFile;
  }

  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        LOG.warn("{} did not stop within 20 s; killing it", name);
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
