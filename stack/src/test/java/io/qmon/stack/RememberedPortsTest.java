package io.qmon.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RememberedPortsTest {
  @TempDir Path home;

  @Test
  void shouldTakeTheSamePortsOnTheNextStartWhenTheyAreFree() {
    Path file = home.resolve("ports.properties");
    RememberedPorts first = RememberedPorts.load(file, "127.0.0.1");
    int kafka = first.take("kafka");
    int registry = first.take("schema-registry");
    first.save();

    RememberedPorts second = RememberedPorts.load(file, "127.0.0.1");
    assertEquals(kafka, second.take("kafka"));
    assertEquals(registry, second.take("schema-registry"));
  }

  @Test
  void shouldReplaceAPortAnotherProgramHoldsAndRememberTheNewOne() throws IOException {
    Path file = home.resolve("ports.properties");
    RememberedPorts first = RememberedPorts.load(file, "127.0.0.1");
    int kafka = first.take("kafka");
    first.save();
    try (ServerSocket squatter = new ServerSocket(kafka, 1, InetAddress.getLoopbackAddress())) {
      RememberedPorts second = RememberedPorts.load(file, "127.0.0.1");
      int replacement = second.take("kafka");
      assertNotEquals(kafka, replacement);
      second.save();
      assertEquals(replacement, RememberedPorts.load(file, "127.0.0.1").take("kafka"));
    }
  }

  @Test
  void shouldLetAPinnedPortWinOverTheRememberedOneAndRememberIt() {
    Path file = home.resolve("ports.properties");
    RememberedPorts first = RememberedPorts.load(file, "127.0.0.1");
    int remembered = first.take("kafka");
    first.save();
    int pinned = Ports.freeLoopbackPort();
    while (pinned == remembered) {
      pinned = Ports.freeLoopbackPort();
    }

    RememberedPorts second = RememberedPorts.load(file, "127.0.0.1");
    assertEquals(pinned, second.take("kafka", pinned));
    second.save();
    assertEquals(pinned, RememberedPorts.load(file, "127.0.0.1").take("kafka"));
  }
}
