package io.qmon.stack.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.qmon.stack.EmbeddedMlflow;
import io.qmon.stack.EmbeddedStack;
import io.qmon.stack.Ports;
import io.qmon.stack.process.ChildProcess;
import io.qmon.stack.process.GuardedProcess;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The docker-compose topology as local processes, all on 127.0.0.1: the broker and registry of the
 * embedded stack, a standalone Flink cluster (JobManager and N TaskManagers from the distribution
 * {@code bin/flink-dist} provides) running the shaded job jar submitted with {@code flink run -d},
 * the tracking sinks (their own JVM), an MLflow server from the project virtualenv, and Prometheus
 * and Alertmanager from Debian packages.
 *
 * <p>It reads the files docker-compose mounts: {@code grafana/prometheus.yml} (its compose targets
 * turned into loopback ones by {@link PrometheusConfigs}), the rule files {@code
 * grafana/prometheus.yml} names and {@code grafana/alertmanager/alertmanager.yml}. Flink's
 * Prometheus reporter (compose's {@code :9249}) binds every interface and has no host option, so
 * here Flink pushes its metrics to a Pushgateway on loopback, which Prometheus scrapes in the
 * compose job's place.
 *
 * <p>Every process is stopped by {@link #close()}, and dies with this JVM even when it is killed
 * outright ({@link ChildProcess} and {@link GuardedProcess} watch for that).
 */
public final class LocalCluster implements AutoCloseable {
  private static final Pattern JOB_ID = Pattern.compile("JobID ([0-9a-f]{32})");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  private static final String LOOPBACK = "127.0.0.1";

  private final LocalClusterSettings settings;
  private final PrintStream progress;
  private final Map<String, String> urls = new LinkedHashMap<>();
  private final List<String> notices = new ArrayList<>();
  private final List<AutoCloseable> started = new ArrayList<>();
  private final List<GuardedProcess> guarded = new ArrayList<>();
  private EmbeddedStack stack;
  private StandaloneFlinkCluster flink;
  private ChildProcess sink;
  private String jobId;

  private LocalCluster(LocalClusterSettings settings, PrintStream progress) {
    this.settings = settings;
    this.progress = progress;
  }

  /**
   * Starts everything, prints progress lines to {@code progress}, submits the job and returns once
   * the job runs and every server answers; stops what it started if any step fails.
   */
  public static LocalCluster start(LocalClusterSettings settings, PrintStream progress)
      throws IOException, InterruptedException {
    LocalCluster cluster = new LocalCluster(settings, progress);
    try {
      cluster.startAll();
      return cluster;
    } catch (IOException | InterruptedException | RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  private void startAll() throws IOException, InterruptedException {
    Path root = settings.root();
    Path jobJar = builtJar(root.resolve("stream-jobs/target"), "qmon-stream-jobs-", "-job.jar");
    Path sinkJar =
        builtJar(root.resolve("tracking-sink/target"), "qmon-tracking-sink-", "-sink.jar");
    Path home = settings.home();
    Path logs = settings.logDir();
    Files.createDirectories(logs);
    deleteRecursively(home.resolve("flink"));
    Files.createDirectories(home);
    Duration timeout = settings.stack().startupTimeout();

    CompletableFuture<Path> flinkHome = async(() -> FlinkDistribution.home(root));
    CompletableFuture<Path> mlflowCommand = async(() -> mlflowCommand(root));
    CompletableFuture<Void> systemPackages = async(() -> systemPackages(root));
    progress.println("starting MLflow ...");
    int mlflowPort = Ports.freeLoopbackPort();
    Path mlflowData = home.resolve("mlflow");
    Files.createDirectories(mlflowData.resolve("artifacts"));
    String mlflowUrl = "http://" + LOOPBACK + ":" + mlflowPort;
    GuardedProcess mlflow =
        guard(
            "mlflow",
            List.of(
                join(mlflowCommand).toString(),
                "server",
                "--host",
                LOOPBACK,
                "--port",
                Integer.toString(mlflowPort),
                "--workers",
                "1",
                "--backend-store-uri",
                "sqlite:///" + mlflowData.resolve("mlflow.db"),
                "--artifacts-destination",
                mlflowData.resolve("artifacts").toString()),
            mlflowData,
            EmbeddedMlflow.serverEnvironment());

    progress.println("starting the broker and the schema registry ...");
    stack = EmbeddedStack.start(settings.stack());
    started.add(stack);
    urls.put("kafka bootstrap servers", stack.bootstrapServers());
    urls.put("schema registry", stack.schemaRegistryUrl());

    join(systemPackages);
    int pushgatewayPort = Ports.freeLoopbackPort();
    String pushgateway = LOOPBACK + ":" + pushgatewayPort;
    Path pushgatewayDir = Files.createDirectories(home.resolve("pushgateway"));
    GuardedProcess pushgatewayProcess =
        guard(
            "pushgateway",
            List.of("prometheus-pushgateway", "--web.listen-address=" + pushgateway),
            pushgatewayDir);
    Optional<String> alertmanager = startAlertmanager(root, home);

    progress.println(
        "starting Flink: a JobManager and " + settings.taskManagers() + " TaskManager(s) ...");
    flink =
        StandaloneFlinkCluster.start(
            join(flinkHome),
            home.resolve("flink"),
            settings.taskManagers(),
            timeout,
            flinkMetricsToPushgateway(pushgateway));
    started.add(flink);
    urls.put("Flink web UI", flink.restUrl());

    awaitHttp("MLflow", mlflow, mlflowUrl + "/health", timeout);
    urls.put("MLflow", mlflowUrl);
    progress.println("starting the tracking sinks ...");
    int sinkPort = Ports.freeLoopbackPort();
    List<String> sinkArgs =
        new ArrayList<>(
            List.of(
                "kafka.bootstrap-servers=" + stack.bootstrapServers(),
                "schema-registry.url=" + stack.schemaRegistryUrl(),
                "prometheus.host=" + LOOPBACK,
                "prometheus.port=" + sinkPort,
                "mlflow.tracking-uri=" + mlflowUrl,
                "alerts.state-dir=" + home.resolve("alert-notifier")));
    alertmanager.ifPresent(address -> sinkArgs.add("alerts.alertmanager-url=http://" + address));
    sink =
        ChildProcess.start(
            "tracking-sink",
            List.of(sinkJar.toString()),
            List.of("-Xmx384m", "-Dlog4j2.configurationFile=log4j2-sink.xml"),
            "io.qmon.sink.TrackingSinkMain",
            sinkArgs,
            home,
            logs.resolve("tracking-sink.log"));
    started.add(sink);
    String sinkTarget = LOOPBACK + ":" + sinkPort;

    progress.println("submitting the job with flink run -d ...");
    jobId = submit(jobJar);
    urls.put("Flink job", flink.restUrl() + "/#/job/running/" + jobId + "/overview");

    Path prometheusDir = Files.createDirectories(home.resolve("prometheus"));
    int prometheusPort = Ports.freeLoopbackPort();
    Path prometheusConfig =
        writePrometheusConfig(
            root,
            prometheusDir,
            Map.of("pushgateway", pushgateway, "sink", sinkTarget),
            alertmanager,
            LOOPBACK + ":" + prometheusPort);
    GuardedProcess prometheus =
        guard(
            "prometheus",
            List.of(
                "prometheus",
                "--config.file=" + prometheusConfig,
                "--storage.tsdb.path=" + prometheusDir.resolve("data"),
                "--web.listen-address=" + LOOPBACK + ":" + prometheusPort),
            prometheusDir);

    String prometheusUrl = "http://" + LOOPBACK + ":" + prometheusPort;
    awaitHttp("the tracking sinks", sink::checkAlive, "http://" + sinkTarget + "/metrics", timeout);
    urls.put("tracking sink metrics", "http://" + sinkTarget + "/metrics");
    awaitHttp("the Pushgateway", pushgatewayProcess, "http://" + pushgateway + "/-/ready", timeout);
    urls.put("Pushgateway (Flink metrics)", "http://" + pushgateway);
    awaitHttp("Prometheus", prometheus, prometheusUrl + "/-/ready", timeout);
    urls.put("Prometheus", prometheusUrl);
    if (alertmanager.isPresent()) {
      urls.put("Alertmanager", "http://" + alertmanager.get());
    }
    awaitJobRunning(timeout);
  }

  /**
   * Flink pushes its metrics every 5 s to the Pushgateway, one group per daemon (random suffix),
   * deleted when the daemon stops.
   */
  private static Map<String, String> flinkMetricsToPushgateway(String pushgateway) {
    Map<String, String> config = new LinkedHashMap<>();
    String prefix = "metrics.reporter.promgateway.";
    config.put(
        prefix + "factory.class",
        "org.apache.flink.metrics.prometheus.PrometheusPushGatewayReporterFactory");
    config.put(prefix + "hostUrl", "http://" + pushgateway);
    config.put(prefix + "jobName", "qmon-flink");
    config.put(prefix + "randomJobNameSuffix", "true");
    config.put(prefix + "deleteOnShutdown", "true");
    config.put(prefix + "interval", "5 SECONDS");
    return config;
  }

  /** Alertmanager with compose's routes, or a notice when the file is not there. */
  private Optional<String> startAlertmanager(Path root, Path home)
      throws IOException, InterruptedException {
    Path config = root.resolve("grafana/alertmanager/alertmanager.yml");
    if (!Files.isRegularFile(config)) {
      notices.add(
          "Alertmanager not started: "
              + root.relativize(config)
              + " (the routes docker-compose mounts) does not exist");
      return Optional.empty();
    }
    Path dir = Files.createDirectories(home.resolve("alertmanager"));
    String address = LOOPBACK + ":" + Ports.freeLoopbackPort();
    GuardedProcess alertmanager =
        guard(
            "alertmanager",
            List.of(
                "prometheus-alertmanager",
                "--config.file=" + config,
                "--storage.path=" + dir.resolve("data"),
                "--web.listen-address=" + address,
                // Empty: no gossip listener (by default on every interface); one instance needs
                // none.
                "--cluster.listen-address="),
            dir);
    awaitHttp(
        "Alertmanager",
        alertmanager,
        "http://" + address + "/-/ready",
        settings.stack().startupTimeout());
    return Optional.of(address);
  }

  private Path writePrometheusConfig(
      Path root,
      Path dir,
      Map<String, String> addresses,
      Optional<String> alertmanager,
      String self)
      throws IOException {
    Path compose = root.resolve("grafana/prometheus.yml");
    YAMLMapper yaml = new YAMLMapper();
    JsonNode composeConfig = yaml.readTree(compose.toFile());
    // The rule files compose's prometheus.yml names (relative to it), so both load the same rules;
    // grafana/rules also holds promtool's test files, which are not rule files.
    List<String> rules = new ArrayList<>();
    for (JsonNode entry : composeConfig.path("rule_files")) {
      Path file = compose.getParent().resolve(entry.asText()).normalize();
      if (Files.isRegularFile(file)) {
        rules.add(file.toAbsolutePath().toString());
      } else {
        notices.add(
            "alert rules "
                + root.relativize(file)
                + " named by grafana/prometheus.yml do not exist");
      }
    }
    if (rules.isEmpty()) {
      notices.add("no alert rules loaded: grafana/prometheus.yml names none that exist");
    }
    // The compose service names prometheus.yml scrapes, and where each runs here.
    Map<String, List<String>> targets =
        Map.of(
            "jobmanager", List.of(addresses.get("pushgateway")),
            "taskmanager", List.of(addresses.get("pushgateway")),
            "tracking-sink", List.of(addresses.get("sink")),
            "prometheus", List.of(self),
            "alertmanager", alertmanager.map(List::of).orElse(List.of()));
    JsonNode local =
        PrometheusConfigs.forLocalProcesses(
            composeConfig, targets, Set.of("jobmanager", "taskmanager"), rules, alertmanager);
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(
        config,
        "# Written by qmon cluster from "
            + compose
            + " (edit that file, not this one)\n"
            + yaml.writeValueAsString(local));
    return config;
  }

  private String submit(Path jobJar) throws IOException, InterruptedException {
    Path checkpoints = Files.createDirectories(settings.home().resolve("checkpoints"));
    String output =
        flink.flink(
            List.of(
                "run",
                "-m",
                flink.restAddress(),
                "-d",
                jobJar.toString(),
                "--kafka.bootstrap-servers",
                stack.bootstrapServers(),
                "--schema-registry.url",
                stack.schemaRegistryUrl(),
                "--job.parallelism",
                Integer.toString(settings.parallelism()),
                "--job.checkpoint-dir",
                checkpoints.toUri().toString()),
            settings.stack().startupTimeout());
    Matcher matcher = JOB_ID.matcher(output);
    if (!matcher.find()) {
      throw new IllegalStateException("flink run printed no job id:\n" + output);
    }
    return matcher.group(1);
  }

  private void awaitJobRunning(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String state = "unknown";
    while (System.nanoTime() < deadline) {
      try {
        JsonNode job = flink.rest("/jobs/" + jobId);
        state = job.path("state").asText();
        boolean allRunning = job.path("vertices").size() > 0;
        for (JsonNode vertex : job.path("vertices")) {
          allRunning &= vertex.path("status").asText().equals("RUNNING");
        }
        if (state.equals("RUNNING") && allRunning) {
          return;
        }
        if (Set.of("FAILED", "CANCELED", "FINISHED").contains(state)) {
          break;
        }
      } catch (IOException e) {
        // Not known to the REST endpoint yet.
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException(
        "Job " + jobId + " is " + state + ", not running; logs in " + flink.logDir());
  }

  private GuardedProcess guard(String name, List<String> command, Path workDir)
      throws IOException, InterruptedException {
    return guard(name, command, workDir, Map.of());
  }

  private GuardedProcess guard(
      String name, List<String> command, Path workDir, Map<String, String> env)
      throws IOException, InterruptedException {
    GuardedProcess process =
        GuardedProcess.start(name, command, workDir, settings.logDir().resolve(name + ".log"), env);
    synchronized (guarded) {
      guarded.add(process);
    }
    return process;
  }

  private static void awaitHttp(String what, GuardedProcess process, String url, Duration timeout)
      throws InterruptedException {
    awaitHttp(what, process::checkAlive, url, timeout);
  }

  private static void awaitHttp(String what, Runnable checkAlive, String url, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      checkAlive.run();
      try {
        HttpResponse<Void> response =
            HTTP.send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // Not listening yet.
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(what + " did not answer " + url + " within " + timeout);
  }

  /** The shaded jar a build left in {@code target}, or a message saying how to build it. */
  private static Path builtJar(Path target, String prefix, String suffix) throws IOException {
    if (Files.isDirectory(target)) {
      try (Stream<Path> files = Files.list(target)) {
        Optional<Path> jar =
            files
                .filter(
                    f -> {
                      String name = f.getFileName().toString();
                      return name.startsWith(prefix) && name.endsWith(suffix);
                    })
                .findFirst();
        if (jar.isPresent()) {
          return jar.get();
        }
      }
    }
    throw new IllegalStateException(
        "No " + prefix + "*" + suffix + " in " + target + ": build it with ./qmon build");
  }

  /**
   * The virtualenv's {@code mlflow}, creating the virtualenv if need be ({@code bin/python-env}).
   */
  private static Path mlflowCommand(Path root) throws IOException, InterruptedException {
    Path mlflow = root.resolve(".venv/bin/mlflow");
    if (!Files.isExecutable(mlflow)) {
      run(root, List.of(root.resolve("bin/python-env").toString()), "bin/python-env");
    }
    if (!Files.isExecutable(mlflow)) {
      throw new IllegalStateException(mlflow + " is missing after bin/python-env");
    }
    return mlflow;
  }

  /** Prometheus, Alertmanager and the Pushgateway from Debian ({@code bin/system-deps}). */
  private static Void systemPackages(Path root) throws IOException, InterruptedException {
    run(root, List.of(root.resolve("bin/system-deps").toString()), "bin/system-deps");
    return null;
  }

  private static void run(Path root, List<String> command, String what)
      throws IOException, InterruptedException {
    Path output = Files.createTempFile("qmon-cluster-", ".out");
    try {
      Process process =
          new ProcessBuilder(command)
              .directory(root.toFile())
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .start();
      if (!process.waitFor(15, TimeUnit.MINUTES) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IllegalStateException(what + " failed:\n" + Files.readString(output));
      }
    } finally {
      Files.deleteIfExists(output);
    }
  }

  private interface Step<T> {
    T call() throws IOException, InterruptedException;
  }

  private static <T> CompletableFuture<T> async(Step<T> step) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return step.call();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
          }
        });
  }

  private static <T> T join(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  /** Name and URL (or address) of every service, in start order. */
  public Map<String, String> urls() {
    return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(urls));
  }

  /** What was left out and why (missing configuration files). */
  public List<String> notices() {
    return List.copyOf(notices);
  }

  public String jobId() {
    return jobId;
  }

  /** Fails when a process of the cluster has exited or the job no longer runs. */
  public void checkAlive() throws IOException, InterruptedException {
    synchronized (guarded) {
      for (GuardedProcess process : guarded) {
        process.checkAlive();
      }
    }
    sink.checkAlive();
    String state = flink.rest("/jobs/" + jobId).path("state").asText();
    if (!Set.of("RUNNING", "RESTARTING", "CREATED", "INITIALIZING").contains(state)) {
      throw new IllegalStateException(
          "Job " + jobId + " is " + state + "; logs in " + flink.logDir());
    }
  }

  /** Stops everything started, the last started first. */
  @Override
  public void close() {
    List<GuardedProcess> servers;
    synchronized (guarded) {
      servers = new ArrayList<>(guarded);
      guarded.clear();
    }
    // The tracking sinks first: they write to MLflow, and stopped after it they spend seconds
    // retrying to close their runs against it. Then Prometheus (it reads the others), and Flink
    // before the broker.
    if (sink != null && started.remove(sink)) {
      sink.close();
    }
    for (int i = servers.size() - 1; i >= 0; i--) {
      servers.get(i).stop(15);
    }
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception e) {
        progress.println("stopping " + started.get(i) + " failed: " + e);
      }
    }
    started.clear();
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(path);
      }
    }
  }
}
