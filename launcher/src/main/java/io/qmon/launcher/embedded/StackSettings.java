package io.qmon.launcher.embedded;

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
 *   <li>{@code qmon.home} (default {@code .qmon}): logs and scratch data.
 *   <li>{@code qmon.schema-registry.home}: the unpacked Apicurio registry (default: where the
 *       launcher build unpacked it).
 *   <li>{@code qmon.kafka.partitions} (default 2): partitions of every topic.
 *   <li>{@code qmon.startup-timeout-s} (default 90): how long to wait for each server.
 * </ul>
 */
public record StackSettings(
    Path home, Path schemaRegistryHome, int partitions, Duration startupTimeout) {

  /** Settings from system properties and the launcher's build information. */
  public static StackSettings fromSystemProperties() {
    Path home = Path.of(System.getProperty("qmon.home", ".qmon")).toAbsolutePath();
    String registryHome = System.getProperty("qmon.schema-registry.home");
    if (registryHome == null) {
      registryHome = buildProperty("schema-registry.home");
    }
    int partitions = Integer.parseInt(System.getProperty("qmon.kafka.partitions", "2"));
    Duration timeout =
        Duration.ofSeconds(Long.parseLong(System.getProperty("qmon.startup-timeout-s", "90")));
    return new StackSettings(home, Path.of(registryHome), partitions, timeout);
  }

  /** Logs of the embedded servers and of the launcher. */
  public Path logDir() {
    return home.resolve("logs");
  }

  private static String buildProperty(String key) {
    try (InputStream in = StackSettings.class.getResourceAsStream("/qmon-build.properties")) {
      if (in == null) {
        throw new IllegalStateException("qmon-build.properties is missing from the launcher jar");
      }
      Properties props = new Properties();
      props.load(in);
      return props.getProperty(key);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
