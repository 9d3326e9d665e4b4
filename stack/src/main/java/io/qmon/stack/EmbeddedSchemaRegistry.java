package io.qmon.stack;

import io.qmon.stack.process.ChildProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A real Confluent-API schema registry: Apicurio Registry 2.6 in a child JVM on a loopback port,
 * serving the Confluent REST API at {@code /apis/ccompat/v7}. Its SQL storage runs on H2: in memory
 * by default, or in a database file that keeps every schema and its id across restarts.
 */
public final class EmbeddedSchemaRegistry implements AutoCloseable {
  /** The Apicurio version the build unpacks. */
  public static final String APICURIO_VERSION = "2.6.13.Final";

  private static final String MAIN_CLASS = "io.quarkus.runner.GeneratedMain";

  private final ChildProcess registry;
  private final String url;

  private EmbeddedSchemaRegistry(ChildProcess registry, String url) {
    this.registry = registry;
    this.url = url;
  }

  /**
   * Starts the registry found in {@code home} (the unpacked {@code apicurio-registry-app} zip) and
   * waits until its Confluent API answers.
   */
  public static EmbeddedSchemaRegistry start(
      Path home, Path workDir, Path logFile, Duration timeout) throws IOException {
    return start(home, workDir, logFile, timeout, StackSettings.LOOPBACK);
  }

  /**
   * As {@link #start(Path, Path, Path, Duration)}, listening on {@code bindAddress}. Quarkus'
   * separate management interface stays off, so the registry opens its one HTTP port only.
   */
  public static EmbeddedSchemaRegistry start(
      Path home, Path workDir, Path logFile, Duration timeout, String bindAddress)
      throws IOException {
    return start(home, workDir, logFile, timeout, bindAddress, 0);
  }

  /**
   * As {@link #start(Path, Path, Path, Duration, String)} on {@code httpPort}; 0 picks a free one.
   */
  public static EmbeddedSchemaRegistry start(
      Path home, Path workDir, Path logFile, Duration timeout, String bindAddress, int httpPort)
      throws IOException {
    return start(home, workDir, logFile, timeout, bindAddress, httpPort, Optional.empty());
  }

  /**
   * As {@link #start(Path, Path, Path, Duration, String, int)}, keeping its schemas in an H2
   * database file under {@code storageDir} when given. Schema ids are in every record on the
   * topics, so a registry that forgot them would leave the retained records unreadable.
   */
  public static EmbeddedSchemaRegistry start(
      Path home,
      Path workDir,
      Path logFile,
      Duration timeout,
      String bindAddress,
      int httpPort,
      Optional<Path> storageDir)
      throws IOException {
    Path runner = home.resolve("apicurio-registry-app-" + APICURIO_VERSION + "-runner.jar");
    if (!Files.isRegularFile(runner)) {
      throw new IllegalStateException(
          "Schema registry not found at "
              + runner
              + "; build the launcher module (it unpacks io.apicurio:apicurio-registry-app) or set"
              + " qmon.schema-registry.home");
    }
    int port = Ports.pinnedOrFree(httpPort, bindAddress, "schema registry");
    Files.createDirectories(workDir);
    List<String> jvmOptions = new ArrayList<>();
    if (storageDir.isPresent()) {
      Files.createDirectories(storageDir.get());
      // WRITE_DELAY=0: H2 otherwise flushes a commit up to a second later, and a kill -9 in that
      // second would lose a schema whose id a producer has already written to a topic.
      jvmOptions.add(
          "-Dquarkus.datasource.jdbc.url=jdbc:h2:file:"
              + storageDir.get().toAbsolutePath().resolve("registry")
              + ";WRITE_DELAY=0");
      // A few connections to a local file are plenty; opening Quarkus' default 20 (and recovering
      // the file after a kill) on a busy machine outlasted the pool's 5 s acquisition timeout.
      jvmOptions.add("-Dquarkus.datasource.jdbc.initial-size=2");
      jvmOptions.add("-Dquarkus.datasource.jdbc.min-size=2");
      jvmOptions.add("-Dquarkus.datasource.jdbc.acquisition-timeout=120S");
    }
    jvmOptions.addAll(
        List.of(
            "-Xms128m",
            "-Xmx384m",
            "-Dquarkus.http.host=" + bindAddress,
            "-Dquarkus.http.port=" + port,
            "-Dquarkus.management.enabled=false",
            "-Dquarkus.management.host=" + bindAddress,
            "-Dquarkus.log.console.enable=true",
            "-Dquarkus.log.level=WARN",
            "-Dquarkus.banner.enabled=false",
            "-Dquarkus.analytics.disabled=true"));
    ChildProcess process =
        ChildProcess.start(
            "schema-registry",
            List.of(runner.toString()),
            jvmOptions,
            MAIN_CLASS,
            List.of(),
            workDir,
            logFile);
    String host = StackSettings.advertisedHost(bindAddress);
    String url =
        "http://"
            + (host.indexOf(':') >= 0 ? "[" + host + "]" : host)
            + ":"
            + port
            + "/apis/ccompat/v7";
    EmbeddedSchemaRegistry registry = new EmbeddedSchemaRegistry(process, url);
    try {
      Await.until("Schema registry at " + url, timeout, process::checkAlive, registry::isServing);
    } catch (RuntimeException e) {
      registry.close();
      throw e;
    }
    return registry;
  }

  private boolean isServing() {
    return Await.answersOk(url + "/subjects");
  }

  /** Base URL of the Confluent-compatible API. */
  public String url() {
    return url;
  }

  public ChildProcess process() {
    return registry;
  }

  @Override
  public void close() {
    registry.close();
  }
}
