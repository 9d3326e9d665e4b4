package io.qmon.tests;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.qmon.stack.EmbeddedMlflow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A launcher killed outright (SIGKILL, no shutdown hooks) leaves nothing behind: its children watch
 * their stdin pipe and exit with it, and MLflow's guard takes it along. (Ctrl-C of {@code qmon
 * demo} is checked on the demo that {@code security.ListeningSocketsIT} starts anyway.)
 */
class DemoInterruptIT {
  private static final Path ROOT =
      Path.of(System.getProperty("qmon.root", "..")).toAbsolutePath().normalize();

  @Test
  void shouldTakeItsChildrenAlongWhenKilledOutright() throws Exception {
    Path output = outputFile("stack-kill");
    Process stack = launch(output, "stack");
    try {
      // The broker and the registry are children from their start on: killing the launcher then,
      // before the job and the sinks are up, is the same story a minute sooner. MLflow (when the
      // venv has it) does not watch its parent: it runs under a guard, and must go as well.
      awaitChildren(stack, output, 2, 180);
      if (EmbeddedMlflow.command(ROOT).isPresent()) {
        awaitFile(stack, output, output.getParent().resolve("mlflow/mlflow-server.pid"), 180);
      }
      List<ProcessHandle> children = stack.descendants().toList();

      stack.destroyForcibly().waitFor(30, TimeUnit.SECONDS);

      for (ProcessHandle child : children) {
        child.onExit().get(60, TimeUnit.SECONDS);
        assertFalse(child.isAlive(), "child " + child.pid() + " is gone");
      }
    } finally {
      stack.descendants().forEach(ProcessHandle::destroyForcibly);
      stack.destroyForcibly();
    }
  }

  private static Path outputFile(String name) throws IOException {
    Path home = Path.of(System.getProperty("qmon.home")).resolve(name);
    Files.createDirectories(home);
    return home.resolve("output.txt");
  }

  /** Runs {@code qmon <args>} in its own JVM with this test's classpath, output to a file. */
  private static Process launch(Path output, String... args) throws IOException {
    Path home = output.getParent();
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dqmon.home=" + home,
                "-Dqmon.log.file=" + home.resolve("qmon.log"),
                // The test starts from nothing each time and leaves no state behind.
                "-Dqmon.persist=false",
                "-cp",
                System.getProperty("java.class.path"),
                "io.qmon.launcher.Qmon"));
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
    // The project root (its .venv decides whether MLflow starts), however the suite was started.
    builder.environment().put("QMON_ROOT", ROOT.toString());
    return builder.start();
  }

  /** Waits until the process has {@code count} children alive; fails if it exits first. */
  private static List<ProcessHandle> awaitChildren(
      Process process, Path output, int count, int seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      List<ProcessHandle> children = process.children().filter(ProcessHandle::isAlive).toList();
      if (children.size() >= count) {
        return children;
      }
      if (!process.isAlive()) {
        throw new AssertionError("qmon exited early:\n" + Files.readString(output));
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        "qmon did not start " + count + " child processes in time:\n" + Files.readString(output));
  }

  private static void awaitFile(Process process, Path output, Path file, int seconds)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!Files.exists(file)) {
      if (!process.isAlive()) {
        throw new AssertionError("qmon exited early:\n" + Files.readString(output));
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(file + " did not appear in time:\n" + Files.readString(output));
      }
      Thread.sleep(200);
    }
  }
}
