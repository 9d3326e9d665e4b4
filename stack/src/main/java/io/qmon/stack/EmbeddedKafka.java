package io.qmon.stack;

import io.qmon.stack.process.ChildProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * A real single-node KRaft Kafka broker (combined broker and controller) in a child JVM, from the
 * {@code kafka_2.13} jars on this program's classpath, listening on free loopback ports (or on the
 * stack's configured bind address).
 */
public final class EmbeddedKafka implements AutoCloseable {
  private final Path dir;
  private final Path logFile;
  private final String bootstrapServers;
  private volatile ChildProcess broker;

  private EmbeddedKafka(Path dir, Path logFile, ChildProcess broker, String bootstrapServers) {
    this.dir = dir;
    this.logFile = logFile;
    this.broker = broker;
    this.bootstrapServers = bootstrapServers;
  }

  /**
   * Formats a fresh log directory under {@code dir}, starts the broker and waits until it serves.
   */
  public static EmbeddedKafka start(Path dir, Path logFile, Duration timeout) throws IOException {
    return start(dir, logFile, timeout, StackSettings.LOOPBACK);
  }

  /** As {@link #start(Path, Path, Duration)}, listening on {@code bindAddress}. */
  public static EmbeddedKafka start(Path dir, Path logFile, Duration timeout, String bindAddress)
      throws IOException {
    return start(dir, logFile, timeout, bindAddress, 0, 0);
  }

  /**
   * As {@link #start(Path, Path, Duration, String)} on the given client and controller ports; 0
   * picks a free one. A log folder that an earlier broker formatted is kept, with its topics,
   * records and committed offsets (after a crash the broker recovers it on start); only a new
   * folder is formatted.
   */
  public static EmbeddedKafka start(
      Path dir,
      Path logFile,
      Duration timeout,
      String bindAddress,
      int clientPort,
      int controllerClientPort)
      throws IOException {
    int port = Ports.pinnedOrFree(clientPort, bindAddress, "Kafka broker");
    int controllerPort = Ports.pinnedOrFree(controllerClientPort, bindAddress, "Kafka controller");
    String host = StackSettings.advertisedHost(bindAddress);
    Path config = dir.resolve("server.properties");
    Path data = dir.resolve("data");
    Files.createDirectories(dir);
    Files.writeString(config, serverProperties(data, bindAddress, host, port, controllerPort));
    if (!Files.isRegularFile(data.resolve("meta.properties"))) {
      format(config);
    }
    String bootstrap = hostPort(host, port);
    EmbeddedKafka kafka = new EmbeddedKafka(dir, logFile, launch(dir, logFile), bootstrap);
    kafka.awaitServing(timeout);
    return kafka;
  }

  private static ChildProcess launch(Path dir, Path logFile) throws IOException {
    return ChildProcess.start(
        "kafka-broker",
        classpath(),
        List.of(
            "-Xms256m",
            "-Xmx768m",
            "-XX:+UseG1GC",
            "-Dqmon.log.file=" + logFile,
            "-Djava.awt.headless=true"),
        "kafka.Kafka",
        List.of(dir.resolve("server.properties").toString()),
        dir,
        logFile);
  }

  private void awaitServing(Duration timeout) {
    try {
      Await.until(
          "Kafka broker on " + bootstrapServers, timeout, broker::checkAlive, this::isServing);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /**
   * Sends SIGKILL to the broker, as {@code kill -9} does (no shutdown, no flush beyond what the OS
   * already holds), and waits until it is gone: for tests of what a crash loses.
   */
  public void kill() throws InterruptedException {
    broker.kill();
  }

  /**
   * Starts the broker again from the same log folder and {@code server.properties} (same ports, no
   * formatting) and waits until it serves; after {@link #kill()} or a crash.
   */
  public void restart(Duration timeout) throws IOException {
    broker.checkDead();
    broker = launch(dir, logFile);
    awaitServing(timeout);
  }

  private static String hostPort(String host, int port) {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  private static String serverProperties(
      Path dataDir, String bindAddress, String host, int port, int controllerPort) {
    return String.join(
        "\n",
        "process.roles=broker,controller",
        "node.id=1",
        "controller.quorum.voters=1@" + hostPort(host, controllerPort),
        "listeners=PLAINTEXT://"
            + hostPort(bindAddress, port)
            + ",CONTROLLER://"
            + hostPort(bindAddress, controllerPort),
        "advertised.listeners=PLAINTEXT://" + hostPort(host, port),
        "controller.listener.names=CONTROLLER",
        "inter.broker.listener.name=PLAINTEXT",
        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "log.dirs=" + dataDir,
        "num.partitions=2",
        "auto.create.topics.enable=false",
        "offsets.topic.replication.factor=1",
        "offsets.topic.num.partitions=4",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "transaction.state.log.num.partitions=4",
        "share.coordinator.state.topic.replication.factor=1",
        "share.coordinator.state.topic.min.isr=1",
        "group.initial.rebalance.delay.ms=0",
        "");
  }

  private static void format(Path config) {
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    int status;
    try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
      // Kafka's own ids never start with '-', which the storage tool would take for an option.
      String clusterId = Uuid.randomUuid().toString();
      status =
          kafka.tools.StorageTool.execute(
              new String[] {"format", "-t", clusterId, "-c", config.toString()}, print);
    }
    if (status != 0) {
      throw new IllegalStateException(
          "Formatting the Kafka log directory failed: " + output.toString(StandardCharsets.UTF_8));
    }
  }

  private static List<String> classpath() {
    return List.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator));
  }

  private boolean isServing() {
    try (Admin admin = admin()) {
      admin.describeCluster().nodes().get(2, TimeUnit.SECONDS);
      return true;
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private Admin admin() {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
    return Admin.create(props);
  }

  /**
   * Creates the topics (existing ones are kept); {@code compacted} ones keep the latest per key.
   */
  public void createTopics(Collection<String> topics, int partitions, Set<String> compacted) {
    List<NewTopic> newTopics = new ArrayList<>();
    for (String topic : topics) {
      NewTopic newTopic = new NewTopic(topic, partitions, (short) 1);
      if (compacted.contains(topic)) {
        newTopic.configs(
            Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
      }
      newTopics.add(newTopic);
    }
    try (Admin admin = admin()) {
      for (var entry : admin.createTopics(newTopics).values().entrySet()) {
        try {
          entry.getValue().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException("Creating topic " + entry.getKey() + " failed", e);
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while creating topics", e);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("Creating topics timed out", e);
    }
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public ChildProcess process() {
    return broker;
  }

  @Override
  public void close() {
    broker.close();
  }
}
