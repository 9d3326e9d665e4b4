package io.qmon.launcher;

import io.qmon.jobs.config.JobConfig;
import io.qmon.sink.TrackingSinkConfig;
import io.qmon.stack.EmbeddedMlflow;
import io.qmon.stack.EmbeddedStack;
import io.qmon.stack.JobWatcher;
import io.qmon.stack.Ports;
import io.qmon.stack.StackLock;
import io.qmon.stack.StackPorts;
import io.qmon.stack.StackSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Option;

/**
 * {@code qmon stack}: starts the embedded platform (broker, registry, monitoring job) and its sinks
 * (MLflow server and writer when the virtualenv has MLflow, Prometheus exporter, alert notifier)
 * and keeps it running until Ctrl-C, printing every address a user or a program opens. It keeps its
 * state under {@code qmon.home} (broker log folder, registry database, checkpoints, ports) and
 * resumes from it, even after {@code kill -9}; {@code --fresh} starts empty, {@code
 * -Dqmon.persist=false} keeps nothing. Ports are pinned ones ({@code --port-base}, or per service),
 * otherwise the broker's, controller's and registry's of last time, otherwise free ones. If the
 * monitoring job fails for good, it says so (the cause and where the logs are), stops the stack and
 * exits with status 1 instead of leaving a stack without its job.
 */
@Command(
    name = "stack",
    mixinStandardHelpOptions = true,
    showDefaultValues = true,
    sortOptions = false,
    description = {
      "Starts the embedded stack (KRaft Kafka broker, schema registry, the monitoring job on a Flink"
          + " MiniCluster) and its sinks (MLflow server and writer when .venv has MLflow,"
          + " Prometheus exporter, alert notifier) on 127.0.0.1, prints every address and keeps"
          + " running until Ctrl-C.",
      "It keeps its state under .qmon/ (the broker's topics, the registry's schemas, the job's"
          + " checkpoints, the ports) and resumes from it, even after kill -9: the job restarts"
          + " from its newest retained checkpoint. --fresh starts empty; -Dqmon.persist=false"
          + " (in QMON_JAVA_OPTS) keeps nothing.",
      "Ports pinned with --port-base or per service are used (a per-service port wins over"
          + " --port-base); otherwise the broker, controller and registry take their ports of last"
          + " time when free, and the rest free ones."
    },
    footer = {
      "",
      "The job's own settings also come from -Dqmon.<key> (in QMON_JAVA_OPTS) and QMON_<KEY>"
          + " variables; --job wins over both. The stack's files: -Dqmon.home (default .qmon)."
    })
final class StackCommand implements Callable<Integer> {
  /** Exit status when the monitoring job failed. */
  static final int JOB_FAILED = 1;

  @Option(
      names = "--fresh",
      description =
          "Delete the state kept under .qmon/ (the broker's topics, the registry's schemas, the"
              + " job's checkpoints, the ports) first.")
  boolean fresh;

  @Option(
      names = "--port-base",
      paramLabel = "<port>",
      defaultValue = "0",
      description =
          "Pin every port from this base: Kafka +0, Kafka controller +1, schema registry +2, Flink"
              + " web UI +3, MLflow +4, Prometheus +5. 0: the ports of last time (broker, controller, registry) or free ones.")
  int portBase;

  @Option(
      names = "--kafka.port",
      paramLabel = "<port>",
      defaultValue = "0",
      description = "Kafka broker (bootstrap servers) port.")
  int kafkaPort;

  @Option(
      names = "--kafka.controller-port",
      paramLabel = "<port>",
      defaultValue = "0",
      description = "Kafka KRaft controller port.")
  int kafkaControllerPort;

  @Option(
      names = "--schema-registry.port",
      paramLabel = "<port>",
      defaultValue = "0",
      description = "Schema registry port.")
  int schemaRegistryPort;

  @Option(
      names = "--flink.web-port",
      paramLabel = "<port>",
      defaultValue = "0",
      description = "Flink web UI and REST API port.")
  int flinkWebPort;

  @Option(
      names = "--mlflow.port",
      paramLabel = "<port>",
      defaultValue = "0",
      description = "MLflow tracking server and UI port.")
  int mlflowPort;

  @Option(
      names = "--prometheus.port",
      paramLabel = "<port>",
      defaultValue = "0",
      description = "Prometheus scrape endpoint port.")
  int prometheusPort;

  @Option(
      names = "--mlflow",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Start a local MLflow server (runs kept in .qmon/mlflow) and the MLflow writer when"
              + " .venv has MLflow; --no-mlflow starts neither.")
  boolean mlflow;

  @Option(
      names = "--mlflow.tracking-uri",
      paramLabel = "<url>",
      description = "Write to this MLflow server instead of starting one.")
  String mlflowTrackingUri;

  @Option(
      names = "--job",
      paramLabel = "<key=value>",
      showDefaultValue = Visibility.NEVER,
      description =
          "A monitoring job setting (a key of the job's configuration table), repeatable, e.g."
              + " --job job.parallelism=4.")
  Map<String, String> job = new LinkedHashMap<>();

  @Option(
      names = "--sink",
      paramLabel = "<key=value>",
      showDefaultValue = Visibility.NEVER,
      description =
          "A tracking-sink setting (a key of its configuration table), repeatable, e.g."
              + " --sink alerts.alertmanager-url=http://127.0.0.1:9093.")
  Map<String, String> sink = new LinkedHashMap<>();

  /** Where .venv (and so MLflow) is looked for. */
  Path projectRoot = StackSinks.projectRoot();

  @Override
  public Integer call() throws Exception {
    return run(System.out, System.err);
  }

  int run(PrintStream out, PrintStream err) throws Exception {
    StackSettings kept = StackSettings.fromSystemProperties(true);
    StackSettings settings = fresh ? kept.withFreshState() : kept;
    StackPorts ports = ports(settings.bindAddress());
    // Refuse bad settings before anything starts.
    JobConfig.of(job);
    TrackingSinkConfig.of(withPlaceholders(sink));
    // Before anything starts: a second stack on this home must fail here, not after its MLflow
    // start has stopped the first stack's MLflow server (named by the same pid file).
    StackLock lock = StackLock.acquire(settings);

    CountDownLatch stopped = new CountDownLatch(1);
    AtomicBoolean ctrlC = new AtomicBoolean();
    CountDownLatch cleanedUp = new CountDownLatch(1);
    // Ctrl-C runs this hook; it lets the main thread stop the stack and waits for it, because the
    // JVM halts as soon as its hooks return.
    Thread onCtrlC =
        new Thread(
            () -> {
              ctrlC.set(true);
              stopped.countDown();
              try {
                cleanedUp.await(60, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "qmon-stack-shutdown");
    Runtime.getRuntime().addShutdownHook(onCtrlC);
    boolean startMlflow = mlflow && mlflowTrackingUri == null;
    CompletableFuture<Optional<EmbeddedMlflow>> mlflowServer =
        startMlflow
            ? StackSinks.startMlflowInBackground(projectRoot, settings, ports.mlflow())
            : CompletableFuture.completedFuture(Optional.empty());
    try {
      EmbeddedStack started;
      try {
        started = EmbeddedStack.start(settings, ports, lock);
      } catch (RuntimeException | IOException e) {
        mlflowServer.thenAccept(server -> server.ifPresent(EmbeddedMlflow::close));
        throw e;
      }
      try (EmbeddedStack stack = started) {
        JobWatcher jobWatcher = JobWatcher.watch(stack.startMonitoringJob(stack.jobConfig(job)));
        jobWatcher.ended().thenRun(stopped::countDown);
        try (StackSinks sinks =
            StackSinks.start(
                stack,
                settings,
                awaitMlflow(mlflowServer),
                Optional.ofNullable(mlflowTrackingUri).filter(uri -> mlflow),
                ports.prometheus(),
                sink,
                (name, cause) ->
                    err.println(
                        "qmon stack: the "
                            + name
                            + " sink stopped working ("
                            + cause
                            + "); the stack goes on, see "
                            + settings.logDir()))) {
          printAddresses(out, settings, stack, sinks, startMlflow);
          stopped.await();
        }
        Optional<String> ended = jobWatcher.endReason();
        if (ended.isPresent() && !ctrlC.get()) {
          out.flush();
          err.println(JobWatcher.failureReport("qmon stack", ended.get(), settings.logDir()));
          err.flush();
          return JOB_FAILED;
        }
      }
    } finally {
      cleanedUp.countDown();
    }
    return 0;
  }

  /**
   * The ports to use: pinned ones as given, the rest free; the Flink web UI's and the exporter's
   * are chosen here when free, so the addresses can be printed.
   */
  StackPorts ports(String bindAddress) {
    StackPorts pinned =
        (portBase == 0 ? StackPorts.FREE : StackPorts.fromBase(portBase))
            .with(
                new StackPorts(
                    kafkaPort,
                    kafkaControllerPort,
                    schemaRegistryPort,
                    flinkWebPort,
                    mlflowPort,
                    prometheusPort));
    return pinned.with(
        new StackPorts(
            0,
            0,
            0,
            Ports.pinnedOrFree(pinned.flinkWeb(), bindAddress, "Flink web UI"),
            0,
            Ports.pinnedOrFree(pinned.prometheus(), bindAddress, "Prometheus scrape endpoint")));
  }

  private static void printAddresses(
      PrintStream out,
      StackSettings settings,
      EmbeddedStack stack,
      StackSinks sinks,
      boolean triedMlflow) {
    out.println("qmon embedded stack is up on " + settings.bindAddress() + " (Ctrl-C stops it)");
    out.println("  kafka bootstrap servers : " + stack.bootstrapServers());
    out.println("  schema registry url     : " + stack.schemaRegistryUrl());
    out.println("  Flink web UI            : " + stack.flinkWebUrl().orElse("(not served)"));
    out.println(
        "  MLflow UI               : "
            + sinks
                .mlflowUrl()
                .map(
                    url ->
                        url
                            + (sinks.ownsMlflowServer()
                                ? " (runs in " + mlflowDir(settings) + ")"
                                : ""))
                .orElse(
                    triedMlflow
                        ? "off: .venv has no MLflow (bin/python-env installs it)"
                        : "off (--no-mlflow)"));
    out.println("  Prometheus metrics      : " + sinks.metricsUrl());
    out.println("  alert notifier          : on (reads qgm.alerts; --sink alerts.* to forward)");
    out.println("  listening on            : " + settings.bindAddress() + " (qmon.bind-address)");
    out.println("  logs                    : " + settings.logDir());
    out.println(
        "  state                   : "
            + (stack.persistent()
                ? settings.home() + " (kept; --fresh or -Dqmon.persist=false to start empty)"
                : "temporary (qmon.persist=false)"));
    out.println("  job started from        : " + stack.startedFrom().orElse("?"));
    out.println("For the SDKs and tools:");
    out.println(
        "  export QMON_BOOTSTRAP_SERVERS="
            + stack.bootstrapServers()
            + " QMON_SCHEMA_REGISTRY_URL="
            + stack.schemaRegistryUrl()
            + sinks.mlflowUrl().map(url -> " MLFLOW_TRACKING_URI=" + url).orElse(""));
    out.flush();
  }

  private static Path mlflowDir(StackSettings settings) {
    return settings.home().resolve("mlflow");
  }

  private static Optional<EmbeddedMlflow> awaitMlflow(
      CompletableFuture<Optional<EmbeddedMlflow>> mlflow) throws InterruptedException {
    try {
      return mlflow.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("The local MLflow server did not start: " + e.getCause(), e);
    }
  }

  /** The sink settings with the addresses the stack fills in, to check the rest up front. */
  private static Map<String, String> withPlaceholders(Map<String, String> sink) {
    Map<String, String> values = new HashMap<>();
    values.put(TrackingSinkConfig.BOOTSTRAP_SERVERS.key(), "127.0.0.1:1");
    values.put(TrackingSinkConfig.SCHEMA_REGISTRY_URL.key(), "http://127.0.0.1:1");
    values.putAll(sink);
    return values;
  }
}
