package io.qmon.stack;

import io.qmon.jobs.MonitoringJob;
import io.qmon.jobs.config.JobConfig;
import io.qmon.schemas.Topics;
import io.qmon.schemas.serde.RestSchemaRegistry;
import io.qmon.schemas.serde.SchemaRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
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
 * is stopped by {@link #close()}. A persistent stack keeps the broker's log folder, the registry's
 * database, the job's checkpoints and its ports under {@code qmon.home} and resumes from them.
 *
 * <p>The demo, the benchmark and the end-to-end tests all start the platform through this class.
 */
public final class EmbeddedStack implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedStack.class);

  /** Shortest time a restored job has to complete its first checkpoint before it is trusted. */
  private static final long PROBATION_FLOOR_MS = 30_000;

  private final StateLayout layout;
  private final EmbeddedKafka kafka;
  private final EmbeddedSchemaRegistry registry;
  private final String bindAddress;
  private final int flinkWebPort;
  private final List<JobClient> jobs = new ArrayList<>();
  private volatile String startedFrom;

  private EmbeddedStack(
      StateLayout layout,
      EmbeddedKafka kafka,
      EmbeddedSchemaRegistry registry,
      String bindAddress,
      int flinkWebPort) {
    this.layout = layout;
    this.kafka = kafka;
    this.registry = registry;
    this.bindAddress = bindAddress;
    this.flinkWebPort = flinkWebPort;
  }

  /**
   * Starts the broker and the registry side by side and creates the topics. A persistent stack
   * ({@link StackSettings#persistent()}) keeps them under {@code qmon.home} and takes its ports of
   * last time; otherwise everything lives in a temporary folder deleted by {@link #close()}, on
   * free ports.
   */
  public static EmbeddedStack start(StackSettings settings) throws IOException {
    return start(settings, StackPorts.FREE);
  }

  /**
   * As {@link #start(StackSettings)}, on the given ports: a pinned (non-zero) port wins; otherwise
   * a persistent stack takes the broker's, controller's and registry's port of last time when free,
   * and everything else a free one. A pinned Flink web port is where the monitoring job's
   * MiniCluster serves its REST API and web UI.
   */
  public static EmbeddedStack start(StackSettings settings, StackPorts ports) throws IOException {
    return start(settings, ports, StackLock.acquire(settings));
  }

  /**
   * As {@link #start(StackSettings, StackPorts)}, with the home's lock already taken by a command
   * that must hold it before it starts anything else (see {@link StackLock}). Takes ownership of
   * {@code lock}: released when the stack closes, or when it fails to start.
   */
  public static EmbeddedStack start(StackSettings settings, StackPorts ports, StackLock lock)
      throws IOException {
    int flinkWebPort;
    try {
      flinkWebPort =
          ports.flinkWeb() == 0
              ? 0
              : Ports.pinnedOrFree(ports.flinkWeb(), settings.bindAddress(), "Flink web UI");
      Files.createDirectories(settings.logDir());
    } catch (IOException | RuntimeException e) {
      lock.close();
      throw e;
    }
    Path logs = settings.logDir();
    StateLayout layout = StateLayout.prepare(settings, ports, lock);
    CompletableFuture<EmbeddedKafka> kafka =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return EmbeddedKafka.start(
                    layout.kafkaDir(),
                    logs.resolve("kafka.log"),
                    settings.startupTimeout(),
                    settings.bindAddress(),
                    layout.kafkaPort(),
                    layout.controllerPort());
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
                    layout.registryDir(),
                    logs.resolve("schema-registry.log"),
                    settings.startupTimeout(),
                    settings.bindAddress(),
                    layout.registryPort(),
                    layout.registryStorage());
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    try {
      CompletableFuture.allOf(kafka, registry).join();
    } catch (CompletionException e) {
      kafka.thenAccept(EmbeddedKafka::close);
      registry.thenAccept(EmbeddedSchemaRegistry::close);
      layout.release();
      throw new IllegalStateException("The embedded stack did not start: " + e.getCause(), e);
    }
    EmbeddedStack stack =
        new EmbeddedStack(
            layout, kafka.join(), registry.join(), settings.bindAddress(), flinkWebPort);
    layout.recordPids(stack.kafka.process().pid(), stack.registry.process().pid());
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

  /**
   * The job configuration pointing at this stack, with the given overrides. A persistent stack's
   * job checkpoints into {@code <qmon.home>/checkpoints} unless {@code job.checkpoint-dir} is set.
   */
  public JobConfig jobConfig(Map<String, String> overrides) {
    Map<String, String> values = new HashMap<>();
    values.put(JobConfig.BOOTSTRAP_SERVERS.key(), bootstrapServers());
    values.put(JobConfig.SCHEMA_REGISTRY_URL.key(), schemaRegistryUrl());
    values.putAll(overrides);
    JobConfig config = JobConfig.of(values);
    if (layout.persistent() && config.checkpointDir().isEmpty()) {
      values.put(JobConfig.CHECKPOINT_DIR.key(), layout.checkpointDir().toUri().toString());
      config = JobConfig.of(values);
    }
    return config;
  }

  /**
   * Submits the monitoring job to a local MiniCluster in this JVM and returns once it runs. Watch
   * the returned client with {@link JobWatcher} to learn when the job fails.
   *
   * <p>A persistent stack whose job checkpoints into a local folder resumes from the newest
   * checkpoint retained there (see {@link CheckpointResume}); {@link #startedFrom()} says from
   * what.
   */
  public JobClient startMonitoringJob(JobConfig config) throws Exception {
    Optional<Path> localCheckpoints =
        config
            .checkpointDir()
            .filter(dir -> dir.startsWith("file:"))
            .map(dir -> Path.of(URI.create(dir)));
    JobClient client;
    if (layout.persistent() && localCheckpoints.isPresent()) {
      Duration probation =
          Duration.ofMillis(Math.max(PROBATION_FLOOR_MS, 6 * config.checkpointIntervalMs()));
      CheckpointResume.Outcome outcome =
          CheckpointResume.start(
              localCheckpoints.get(), restore -> submit(config, restore), probation);
      client = outcome.job();
      startedFrom = outcome.startedFrom();
    } else {
      client = submit(config, Optional.empty());
      startedFrom = "the committed offsets (state is not kept: qmon.persist=false)";
    }
    synchronized (jobs) {
      jobs.add(client);
    }
    LOG.info("Monitoring job {} started from {}", client.getJobID(), startedFrom);
    return client;
  }

  /** Where the monitoring job started from: a checkpoint, or the committed offsets and why. */
  public Optional<String> startedFrom() {
    return Optional.ofNullable(startedFrom);
  }

  /** Whether this stack keeps its state under {@code qmon.home} for the next start. */
  public boolean persistent() {
    return layout.persistent();
  }

  private JobClient submit(JobConfig config, Optional<Path> restoreFrom) throws Exception {
    Configuration flink = miniClusterConfiguration(bindAddress);
    if (flinkWebPort != 0) {
      // A restored job that failed its probation was cancelled a moment ago, and its MiniCluster
      // shuts down asynchronously: its REST endpoint must let go of the pinned port first.
      Await.until(
          "Flink web port " + flinkWebPort + " to be released",
          Duration.ofSeconds(60),
          () -> {},
          () -> Ports.isFree(flinkWebPort, bindAddress));
      flink.set(RestOptions.BIND_PORT, Integer.toString(flinkWebPort));
      flink.set(RestOptions.PORT, flinkWebPort);
    }
    flink.set(TaskManagerOptions.NUM_TASK_SLOTS, config.parallelism());
    restoreFrom.ifPresent(
        checkpoint ->
            flink.set(StateRecoveryOptions.SAVEPOINT_PATH, checkpoint.toUri().toString()));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(flink);
    new MonitoringJob(config).build(env);
    JobClient client = env.executeAsync(MonitoringJob.NAME);
    LOG.info(
        "Monitoring job {} submitted with {}{}",
        client.getJobID(),
        config,
        restoreFrom.map(checkpoint -> ", restoring " + checkpoint).orElse(""));
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
    layout.release();
  }
}
