package io.qmon.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qmon.stack.PidFiles;
import io.qmon.stack.StackLock;
import io.qmon.stack.StackSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A second {@code qmon stack} on the home of a running one fails on the home's lock before it
 * starts anything: the running stack's services stay up, its MLflow server above all (an MLflow
 * start stops the server the home's pid file names, which is the running stack's).
 */
class StackCommandLockTest {
  @Test
  void shouldRefuseASecondStackOnTheSameHomeBeforeStartingAnything(@TempDir Path home)
      throws Exception {
    String previousHome = System.getProperty("qmon.home");
    System.setProperty("qmon.home", home.toString());
    // The running stack's MLflow server, as its pid file names it; a plain process stands in.
    Process firstMlflow = new ProcessBuilder("sleep", "300").start();
    Path pidFile = home.resolve("mlflow").resolve("mlflow-server.pid");
    PidFiles.write(pidFile, firstMlflow.toHandle());
    try (StackLock first = StackLock.acquire(StackSettings.fromSystemProperties(true))) {
      StackCommand second = new StackCommand();
      new CommandLine(second).parseArgs();
      // The project root, where .venv has MLflow: out of order, the second start would run it.
      second.projectRoot = Path.of("..").toAbsolutePath().normalize();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      IllegalStateException refused =
          assertThrows(
              IllegalStateException.class,
              () ->
                  second.run(
                      new PrintStream(out, true, StandardCharsets.UTF_8),
                      new PrintStream(out, true, StandardCharsets.UTF_8)));
      assertEquals(
          "Another qmon stack is running on "
              + home
              + " (it holds stack.lock); stop it, or give this one its own -Dqmon.home",
          refused.getMessage());
      assertTrue(firstMlflow.isAlive(), "the running stack's MLflow server is untouched");
      try (Stream<Path> files = Files.walk(home)) {
        assertEquals(
            List.of(home, home.resolve("mlflow"), pidFile, home.resolve("stack.lock")),
            files.sorted().toList(),
            "nothing started, nothing written (no logs, no broker or MLflow folders)");
      }
    } finally {
      firstMlflow.destroyForcibly().waitFor();
      if (previousHome == null) {
        System.clearProperty("qmon.home");
      } else {
        System.setProperty("qmon.home", previousHome);
      }
    }
  }
}
