package io.qmon.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

/**
 * Where the embedded stack keeps its files and how long it waits, from system properties with
 * defaults that work from the repository root.
 *
 * <ul>
 *   <li>{@code qmon.home} (default {@code .qmon}): logs, and the state of a persistent stack.
 *   <li>{@code qmon.schema-registry.home}: the unpacked Apicurio registry (default: where the
 *       launcher build unpacked it).
 *   <li>{@code qmon.kafka.partitions} (default 2): partitions of every topic.
 *   <li>{@code qmon.startup-timeout-s} (default 90): how long to wait for each server.
 *   <li>{@code qmon.bind-address} (default 127.0.0.1): the one address every server of the stack
 *       listens on (Flink's REST API, RPC and blob server, the broker, the registry, MLflow and the
 *       Prometheus scrape endpoint). Loopback by default: Flink's REST API accepts job
 *       cancellations without credentials, so it must not face a network unless you choose so.
 *   <li>{@code qmon.persist} (default true for {@code qmon stack} and {@code qmon demo}, false for
 *       everything else): keep the broker's log folder, the registry's database, the job's
 *       checkpoints and the ports under {@code qmon.home}, so a restart, even after {@code kill
 *       -9}, resumes; false keeps everything in a temporary folder deleted on stop.
 *   <li>{@code qmon.fresh} (default false; {@code --fresh}): delete the kept state first.
 * </ul>
 */
public record StackSettings(
    Path home,
    Path schemaRegistryHome,
    int partitions,
    Duration startupTimeout,
    String bindAddress,
    boolean persistent,
    boolean fresh) {

  /** The default of {@code qmon.bind-address}. */
  public static final String LOOPBACK = "127.0.0.1";

  public StackSettings(
      Path home, Path schemaRegistryHome, int partitions, Duration startupTimeout) {
    this(home, schemaRegistryHome, partitions, startupTimeout, LOOPBACK, false, false);
  }

  /**
   * Settings from system properties and the launcher's build information; state is kept only when
   * {@code qmon.persist=true}.
   */
  public static StackSettings fromSystemProperties() {
    return fromSystemProperties(false);
  }

  /**
   * As {@link #fromSystemProperties()}, keeping state under {@code qmon.home} unless {@code
   * qmon.persist=false} when {@code persistByDefault} (the long-running commands).
   */
  public static StackSettings fromSystemProperties(boolean persistByDefault) {
    Path home = Path.of(System.getProperty("qmon.home", ".qmon")).toAbsolutePath();
    String registryHome = System.getProperty("qmon.schema-registry.home");
    if (registryHome == null) {
      registryHome = buildProperty("schema-registry.home");
    }
    int partitions = Integer.parseInt(System.getProperty("qmon.kafka.partitions", "2"));
    Duration timeout =
        Duration.ofSeconds(Long.parseLong(System.getProperty("qmon.startup-timeout-s", "90")));
    String bindAddress = System.getProperty("qmon.bind-address", LOOPBACK).trim();
    if (bindAddress.isEmpty()) {
      throw new IllegalArgumentException("qmon.bind-address must not be empty");
    }
    boolean persistent = booleanProperty("qmon.persist", persistByDefault ? "true" : "false");
    boolean fresh = booleanProperty("qmon.fresh", "false");
    return new StackSettings(
        home, Path.of(registryHome), partitions, timeout, bindAddress, persistent, fresh);
  }

  /** These settings, but starting from empty state ({@code --fresh}). */
  public StackSettings withFreshState() {
    return new StackSettings(
        home, schemaRegistryHome, partitions, startupTimeout, bindAddress, persistent, true);
  }

  private static boolean booleanProperty(String key, String defaultValue) {
    String value = System.getProperty(key, defaultValue).trim();
    if (!value.equals("true") && !value.equals("false")) {
      throw new IllegalArgumentException(key + " must be true or false, got '" + value + "'");
    }
    return Boolean.parseBoolean(value);
  }

  /**
   * The host clients use to reach a server bound to {@link #bindAddress()}: the address itself, or
   * this machine's name when bound to every interface.
   */
  public String advertisedHost() {
    return advertisedHost(bindAddress);
  }

  static String advertisedHost(String bindAddress) {
    try {
      // A wildcard bind (every interface) is only ever configured, never the default.
      if (!java.net.InetAddress.getByName(bindAddress).isAnyLocalAddress()) {
        return bindAddress;
      }
      return java.net.InetAddress.getLocalHost().getCanonicalHostName();
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(
          "qmon.bind-address "
              + bindAddress
              + " does not resolve, or is a wildcard on a host"
              + " without a name",
          e);
    }
  }

  /** The broker's folder (configuration and log folder) of a persistent stack. */
  public Path kafkaDir() {
    return home.resolve("kafka");
  }

  /** The registry's folder (its H2 database) of a persistent stack. */
  public Path registryDir() {
    return home.resolve("registry");
  }

  /** The job's retained checkpoints of a persistent stack. */
  public Path checkpointDir() {
    return home.resolve("checkpoints");
  }

  /** The ports of a persistent stack, reused on its next start. */
  public Path portsFile() {
    return home.resolve("ports.properties");
  }

  /** Pid files of a persistent stack's servers, to stop leftovers of a killed launcher. */
  public Path pidDir() {
    return home.resolve("pids");
  }

  /** Logs of the embedded servers and of the launcher. */
  public Path logDir() {
    return home.resolve("logs");
  }

  private static String buildProperty(String key) {
    try (InputStream in = StackSettings.class.getResourceAsStream("/qmon-build.properties")) {
      if (in == null) {
        throw new IllegalStateException("qmon-build.properties is missing from the qmon-stack jar");
      }
      Properties props = new Properties();
      props.load(in);
      return props.getProperty(key);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
