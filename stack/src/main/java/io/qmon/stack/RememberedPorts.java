package io.qmon.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ports a persistent stack used last time, kept in {@code <qmon.home>/ports.properties} and
 * taken again when they are free: producers, consoles and the user's notes keep the broker and
 * registry addresses a restart printed before, and the broker's controller keeps the address its
 * quorum state names. A port another program took meanwhile is replaced by a free one, and said.
 */
public final class RememberedPorts {
  private static final Logger LOG = LoggerFactory.getLogger(RememberedPorts.class);

  private final Path file;
  private final String bindAddress;
  private final Properties ports = new Properties();

  private RememberedPorts(Path file, String bindAddress) {
    this.file = file;
    this.bindAddress = bindAddress;
  }

  /** The ports remembered in {@code file} (none if it does not exist yet). */
  public static RememberedPorts load(Path file, String bindAddress) {
    RememberedPorts remembered = new RememberedPorts(file, bindAddress);
    if (Files.isRegularFile(file)) {
      try (InputStream in = Files.newInputStream(file)) {
        remembered.ports.load(in);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read the remembered ports in " + file, e);
      }
    }
    return remembered;
  }

  /**
   * The port remembered for {@code name} if it is free now, else a free one; either way remembered
   * (in memory: {@link #save()} writes the file).
   */
  public int take(String name) {
    return take(name, 0);
  }

  /**
   * {@code pinned} when non-zero (a port the user chose wins over the one of last time; whether it
   * is free is for the server to say), else as {@link #take(String)}; remembered either way.
   */
  public int take(String name, int pinned) {
    String remembered = ports.getProperty(name);
    int port;
    if (pinned != 0) {
      port = pinned;
    } else if (remembered != null && Ports.isFree(Integer.parseInt(remembered), bindAddress)) {
      port = Integer.parseInt(remembered);
    } else {
      port = Ports.freePort(bindAddress);
      if (remembered != null) {
        LOG.warn(
            "Port {} of {} (remembered in {}) is taken by another program; using {} instead",
            remembered,
            name,
            file,
            port);
      }
    }
    ports.setProperty(name, Integer.toString(port));
    return port;
  }

  /** Writes the ports taken so far, for the next start. */
  public void save() {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      try (OutputStream out = Files.newOutputStream(file)) {
        ports.store(out, "Ports of the embedded stack, reused on its next start when free");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the ports to " + file, e);
    }
  }
}
