package io.qmon.stack;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PidFilesTest {
  @TempDir Path dir;

  @Test
  void shouldStopTheProcessLeftRunningAndDeleteItsFile() throws Exception {
    Process leftover = new ProcessBuilder("sleep", "120").start();
    try {
      Path file = dir.resolve("server.pid");
      PidFiles.write(file, leftover.toHandle());
      PidFiles.stopLeftover(file);
      assertTrue(leftover.waitFor(10, TimeUnit.SECONDS), "the leftover process is gone");
      assertFalse(Files.exists(file));
    } finally {
      leftover.destroyForcibly();
    }
  }

  @Test
  void shouldNotTouchAProcessThatGotTheSamePidLater() throws Exception {
    Process other = new ProcessBuilder("sleep", "120").start();
    try {
      Path file = dir.resolve("server.pid");
      // Same pid, another start time: the recorded process is gone and the pid was reused.
      Files.writeString(file, other.pid() + " 2001-01-01T00:00:00Z\n");
      PidFiles.stopLeftover(file);
      assertTrue(other.isAlive(), "a process with a reused pid is left alone");
      assertFalse(Files.exists(file));
    } finally {
      other.destroyForcibly();
    }
  }

  @Test
  void shouldAcceptAHomeWithoutPidFiles() {
    assertDoesNotThrow(() -> PidFiles.stopLeftover(dir.resolve("missing.pid")));
  }
}
