package io.qmon.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where one start of the embedded stack keeps its broker, registry and checkpoints, and on which
 * ports its servers listen.
 *
 * <p>Persistent: the folders of {@link StackSettings} under {@code qmon.home}, the ports of last
 * time, a lock on the home (two stacks on one home would share a log folder), and the pid files of
 * the servers, so leftovers of a launcher killed with {@code kill -9} are stopped first. Otherwise:
 * a temporary folder, free ports, nothing kept.
 */
final class StateLayout {
  private static final Logger LOG = LoggerFactory.getLogger(StateLayout.class);
  private static final String KAFKA_PID = "kafka-broker.pid";
  private static final String REGISTRY_PID = "schema-registry.pid";

  private final StackSettings settings;
  private final Path workDir;
  private final StackLock lock;
  private final int kafkaPort;
  private final int controllerPort;
  private final int registryPort;

  private StateLayout(
      StackSettings settings,
      Path workDir,
      StackLock lock,
      int kafkaPort,
      int controllerPort,
      int registryPort) {
    this.settings = settings;
    this.workDir = workDir;
    this.lock = lock;
    this.kafkaPort = kafkaPort;
    this.controllerPort = controllerPort;
    this.registryPort = registryPort;
  }

  /**
   * Prepares the persistent home {@code lock} holds, or creates a temporary folder. A port pinned
   * in {@code pinned} (non-zero) wins; otherwise a persistent home's port of last time, otherwise a
   * free one. Takes ownership of {@code lock}: released by {@link #release()}, or now on failure.
   */
  static StateLayout prepare(StackSettings settings, StackPorts pinned, StackLock lock)
      throws IOException {
    String bind = settings.bindAddress();
    if (!settings.persistent()) {
      return new StateLayout(
          settings,
          Files.createTempDirectory("qmon-stack-"),
          lock,
          pinned.kafka(),
          pinned.kafkaController(),
          pinned.schemaRegistry());
    }
    if (!lock.held()) {
      throw new IllegalArgumentException("a persistent stack needs the lock on its home");
    }
    try {
      PidFiles.stopLeftover(settings.pidDir().resolve(KAFKA_PID));
      PidFiles.stopLeftover(settings.pidDir().resolve(REGISTRY_PID));
      if (settings.fresh()) {
        LOG.info("Starting fresh: deleting the state kept under {}", settings.home());
        FileTrees.delete(settings.kafkaDir());
        FileTrees.delete(settings.registryDir());
        FileTrees.delete(settings.checkpointDir());
        Files.deleteIfExists(settings.portsFile());
      }
      RememberedPorts ports = RememberedPorts.load(settings.portsFile(), bind);
      int kafka = ports.take("kafka", pinned.kafka());
      int controller = ports.take("kafka.controller", pinned.kafkaController());
      int registry = ports.take("schema-registry", pinned.schemaRegistry());
      ports.save();
      return new StateLayout(settings, null, lock, kafka, controller, registry);
    } catch (RuntimeException | IOException e) {
      lock.close();
      throw e;
    }
  }

  boolean persistent() {
    return settings.persistent();
  }

  Path kafkaDir() {
    return persistent() ? settings.kafkaDir() : workDir.resolve("kafka");
  }

  Path registryDir() {
    return persistent() ? settings.registryDir() : workDir.resolve("registry");
  }

  /** Where the registry keeps its database: none (in memory) unless persistent. */
  Optional<Path> registryStorage() {
    return persistent() ? Optional.of(settings.registryDir()) : Optional.empty();
  }

  Path checkpointDir() {
    return settings.checkpointDir();
  }

  /** The broker's port; 0: a free one, chosen by the broker's starter. */
  int kafkaPort() {
    return kafkaPort;
  }

  int controllerPort() {
    return controllerPort;
  }

  int registryPort() {
    return registryPort;
  }

  /** Records the servers' pids, for the next start after a kill. */
  void recordPids(long kafkaPid, long registryPid) {
    if (persistent()) {
      ProcessHandle.of(kafkaPid)
          .ifPresent(p -> PidFiles.write(settings.pidDir().resolve(KAFKA_PID), p));
      ProcessHandle.of(registryPid)
          .ifPresent(p -> PidFiles.write(settings.pidDir().resolve(REGISTRY_PID), p));
    }
  }

  /**
   * After the servers stopped: deletes the temporary folder, or the pid files and the lock of a
   * persistent home.
   */
  void release() {
    if (!persistent()) {
      FileTrees.delete(workDir);
      lock.close();
      return;
    }
    try {
      PidFiles.stopLeftover(settings.pidDir().resolve(KAFKA_PID));
      PidFiles.stopLeftover(settings.pidDir().resolve(REGISTRY_PID));
    } finally {
      lock.close();
    }
  }
}
