package io.qmon.stack;

import io.qmon.jobs.MonitoringJob;
import io.qmon.jobs.config.JobConfig;
import io.qmon.schemas.Topics;
import io.qmon.schemas.serde.RestSchemaRegistry;
import io.qmon.schemas.serde.SchemaRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole platform on one machine: a KRaft Kafka broker and a schema registry in child JVMs, the
 * topics of DESIGN.md with every value schema registered under BACKWARD compatibility, and the
 * monitoring job on a Flink MiniCluster in this JVM. Everything (Flink's REST API, RPC and blob
 * server included) binds to 127.0.0.1, or to {@link StackSettings#bindAddress()}, on free ports and
 * is stopped by {@link #close()}.
 *
 * <p>The demo, the benchmark and the end-to-end tests all start the platform through this class.
 */
public final class EmbeddedStack implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedStack.class);

  private final Path workDir;
  private final EmbeddedKafka kafka;
  private final EmbeddedSchemaRegistry registry;
  private final String bindAddress;
  private final int flinkWebPort;
  private final List<JobClient> jobs = new ArrayList<>();

  private EmbeddedStack(
      Path workDir,
      EmbeddedKafka kafka,
      EmbeddedSchemaRegistry registry,
      String bindAddress,
      int flinkWebPort) {
    this.workDir = workDir;
    this.kafka = kafka;
    this.registry = registry;
    this.bindAddress = bindAddress;
    this.flinkWebPort = flinkWebPort;
  }

  /** Starts the broker and the registry side by side, on free ports, and creates the topics. */
  public static EmbeddedStack start(StackSettings settings) throws IOException {
    return start(settings, StackPorts.FREE);
  }

  /**
   * As {@link #start(StackSettings)}, on the given ports (0: a free one). A pinned Flink web port
   * is where the monitoring job's MiniCluster serves its REST API and web UI.
   */
  public static EmbeddedStack start(StackSettings settings, StackPorts ports) throws IOException {
    int flinkWebPort =
        ports.flinkWeb() == 0
            ? 0
            : Ports.pinnedOrFree(ports.flinkWeb(), settings.bindAddress(), "Flink web UI");
    Files.createDirectories(settings.logDir());
    Path workDir = Files.createTempDirectory("qmon-stack-");
    Path logs = settings.logDir();
    CompletableFuture<EmbeddedKafka> kafka =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return EmbeddedKafka.start(
                    workDir.resolve("kafka"),
                    logs.resolve("kafka.log"),
                    settings.startupTimeout(),
                    settings.bindAddress(),
                    ports.kafka(),
                    ports.kafkaController());
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    CompletableFuture<EmbeddedSchemaRegistry> registry =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return EmbeddedSchemaRegistry.start(
                    settings.schemaRegistryHome(),
                    workDir.resolve("registry"),
                    logs.resolve("schema-registry.log"),
                    settings.startupTimeout(),
                    settings.bindAddress(),
                    ports.schemaRegistry());
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    try {
      CompletableFuture.allOf(kafka, registry).join();
    } catch (CompletionException e) {
      kafka.thenAccept(EmbeddedKafka::close);
      registry.thenAccept(EmbeddedSchemaRegistry::close);
      deleteRecursively(workDir);
      throw new IllegalStateException("The embedded stack did not start: " + e.getCause(), e);
    }
    EmbeddedStack stack =
        new EmbeddedStack(
            workDir, kafka.join(), registry.join(), settings.bindAddress(), flinkWebPort);
    try {
      stack.kafka.createTopics(Topics.ALL, settings.partitions(), new HashSet<>(Topics.COMPACTED));
      stack.registerSchemas();
    } catch (RuntimeException e) {
      stack.close();
      throw e;
    }
    LOG.info(
        "Embedded stack up: kafka {} (pid {}), schema registry {} (pid {})",
        stack.bootstrapServers(),
        stack.kafka.process().pid(),
        stack.schemaRegistryUrl(),
        stack.registry.process().pid());
    return stack;
  }

  /**
   * Registers every topic's value schema up front and sets BACKWARD compatibility, so producers and
   * job subtasks never race to create a subject, and a breaking schema change is refused.
   */
  private void registerSchemas() {
    SchemaRegistry client = schemaRegistry();
    Topics.VALUE_SCHEMAS.forEach(
        (topic, schema) -> {
          String subject = SchemaRegistry.valueSubject(topic);
          client.register(subject, schema);
          client.setCompatibility(subject, "BACKWARD");
        });
    LOG.info(
        "Registered the value schemas of {} topics with BACKWARD compatibility",
        Topics.VALUE_SCHEMAS.size());
  }

  public String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  /** The broker, for tests that kill and restart it. */
  public EmbeddedKafka kafka() {
    return kafka;
  }

  /**
   * The Flink web UI (and REST API) of the monitoring job's MiniCluster, when its port was pinned
   * (otherwise Flink picks one per job and does not say which).
   */
  public java.util.Optional<String> flinkWebUrl() {
    if (flinkWebPort == 0) {
      return java.util.Optional.empty();
    }
    String host = StackSettings.advertisedHost(bindAddress);
    return java.util.Optional.of(
        "http://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + flinkWebPort);
  }

  /** Process id of the broker's child JVM, for tests that inject faults (SIGSTOP/SIGCONT). */
  public long kafkaPid() {
    return kafka.process().pid();
  }

  /** Process id of the schema registry's child JVM, for tests that inject faults. */
  public long schemaRegistryPid() {
    return registry.process().pid();
  }

  public String schemaRegistryUrl() {
    return registry.url();
  }

  /** A client of this stack's registry. */
  public SchemaRegistry schemaRegistry() {
    return new RestSchemaRegistry(schemaRegistryUrl());
  }

  /** The job configuration pointing at this stack, with the given overrides. */
  public JobConfig jobConfig(Map<String, String> overrides) {
    Map<String, String> values = new HashMap<>();
    values.put(JobConfig.BOOTSTRAP_SERVERS.key(), bootstrapServers());
    values.put(JobConfig.SCHEMA_REGISTRY_URL.key(), schemaRegistryUrl());
    values.putAll(overrides);
    return JobConfig.of(values);
  }

  /**
   * Submits the monitoring job to a local MiniCluster in this JVM and returns at once. Watch the
   * returned client with {@link JobWatcher} to learn when the job fails.
   */
  public JobClient startMonitoringJob(JobConfig config) throws Exception {
    Configuration flink = miniClusterConfiguration(bindAddress);
    if (flinkWebPort != 0) {
      flink.set(RestOptions.BIND_PORT, Integer.toString(flinkWebPort));
      flink.set(RestOptions.PORT, flinkWebPort);
    }
    flink.set(TaskManagerOptions.NUM_TASK_SLOTS, config.parallelism());
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(flink);
    new MonitoringJob(config).build(env);
    JobClient client = env.executeAsync(MonitoringJob.NAME);
    synchronized (jobs) {
      jobs.add(client);
    }
    LOG.info("Monitoring job {} submitted with {}", client.getJobID(), config);
    return client;
  }

  /**
   * The MiniCluster's network settings: its REST API (which cancels jobs without credentials), the
   * JobManager and TaskManager RPC, the blob server (which follows the JobManager's bind host) and
   * the shuffle's data port listen on {@code bindAddress} only. Flink's own default is every
   * interface.
   */
  static Configuration miniClusterConfiguration(String bindAddress) {
    String host = StackSettings.advertisedHost(bindAddress);
    Configuration flink = new Configuration();
    flink.set(RestOptions.BIND_ADDRESS, bindAddress);
    flink.set(RestOptions.ADDRESS, host);
    flink.set(JobManagerOptions.BIND_HOST, bindAddress);
    flink.set(JobManagerOptions.ADDRESS, host);
    flink.set(TaskManagerOptions.BIND_HOST, bindAddress);
    flink.set(TaskManagerOptions.HOST, host);
    return flink;
  }

  @Override
  public void close() {
    synchronized (jobs) {
      for (JobClient job : jobs) {
        try {
          job.cancel().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
          LOG.warn("Cancelling job {} failed", job.getJobID(), e);
        }
      }
      jobs.clear();
    }
    registry.close();
    kafka.close();
    deleteRecursively(workDir);
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      LOG.warn("Could not delete {}", dir, e);
    }
  }
}
