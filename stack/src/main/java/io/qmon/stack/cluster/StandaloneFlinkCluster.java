package io.qmon.stack.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qmon.stack.Ports;
import io.qmon.stack.process.GuardedProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A standalone Flink session cluster from a real distribution ({@link FlinkDistribution}): one
 * JobManager and any number of TaskManagers, each its own JVM started by the distribution's own
 * {@code jobmanager.sh} / {@code taskmanager.sh start-foreground} under a {@link GuardedProcess},
 * on 127.0.0.1 with free ports.
 *
 * <p>Every cluster gets its own copy of {@code conf/} ({@code FLINK_CONF_DIR}), log folder and pid
 * folder, so clusters of parallel builds never meet. TaskManagers can be killed with {@code kill
 * -9} and replaced; {@link #close()} (also run by a shutdown hook) kills whatever still runs, and
 * the guards kill the JVMs should this JVM die first.
 */
public final class StandaloneFlinkCluster implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path home;
  private final Path dir;
  private final Path confDir;
  private final Path logDir;
  private final int restPort;
  private final GuardedProcess jobManager;
  private final List<GuardedProcess> taskManagers = new ArrayList<>();
  private final Thread shutdownHook = new Thread(this::killAll, "flink-cluster-shutdown");

  private StandaloneFlinkCluster(Path home, Path dir, int restPort, Map<String, String> config)
      throws IOException, InterruptedException {
    this.home = home;
    this.dir = dir;
    this.confDir = dir.resolve("conf");
    this.logDir = dir.resolve("log");
    this.restPort = restPort;
    writeConf(Ports.freeLoopbackPort(), config);
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    this.jobManager = daemon("jobmanager.sh", "jobmanager");
  }

  /**
   * Starts a JobManager and {@code taskManagers} TaskManagers (one slot each) and waits until they
   * are all registered.
   */
  public static StandaloneFlinkCluster start(
      Path home, Path dir, int taskManagers, Duration timeout)
      throws IOException, InterruptedException {
    return start(home, dir, taskManagers, timeout, Map.of());
  }

  /**
   * As {@link #start(Path, Path, int, Duration)}, with {@code config} added to every daemon's
   * {@code config.yaml} (flat keys, e.g. a metrics reporter).
   */
  public static StandaloneFlinkCluster start(
      Path home, Path dir, int taskManagers, Duration timeout, Map<String, String> config)
      throws IOException, InterruptedException {
    Files.createDirectories(dir);
    StandaloneFlinkCluster cluster =
        new StandaloneFlinkCluster(home, dir, Ports.freeLoopbackPort(), config);
    try {
      for (int i = 0; i < taskManagers; i++) {
        cluster.startTaskManager();
      }
      cluster.awaitTaskManagers(taskManagers, timeout);
      return cluster;
    } catch (IOException | InterruptedException | RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  /** {@code host:port} of the REST endpoint, as {@code flink run -m} takes it. */
  public String restAddress() {
    return "127.0.0.1:" + restPort;
  }

  /** The REST endpoint, which also serves the web UI. */
  public String restUrl() {
    return "http://" + restAddress();
  }

  public Path logDir() {
    return logDir;
  }

  /** Every Flink process started (JobManager first), running or not. */
  public synchronized List<GuardedProcess> processes() {
    List<GuardedProcess> all = new ArrayList<>();
    all.add(jobManager);
    all.addAll(taskManagers);
    return all;
  }

  /** Starts one more TaskManager JVM (it registers on its own; see {@link #awaitTaskManagers}). */
  public synchronized void startTaskManager() throws IOException, InterruptedException {
    taskManagers.add(daemon("taskmanager.sh", "taskmanager-" + taskManagers.size()));
  }

  /** The index of the first TaskManager started that still runs. */
  public synchronized int firstLiveTaskManager() {
    for (int i = 0; i < taskManagers.size(); i++) {
      if (taskManagers.get(i).isAlive()) {
        return i;
      }
    }
    throw new IllegalStateException("No TaskManager runs; logs in " + logDir);
  }

  /** The pid of the {@code index}th TaskManager started. */
  public synchronized long taskManagerPid(int index) {
    return taskManagers.get(index).pid();
  }

  /** Sends SIGKILL to the {@code index}th TaskManager, as {@code kill -9 <pid>} does. */
  public void killTaskManager(int index) throws IOException, InterruptedException {
    GuardedProcess taskManager;
    synchronized (this) {
      taskManager = taskManagers.get(index);
    }
    taskManager.kill();
  }

  /** Polls REST {@code /taskmanagers} until exactly {@code count} TaskManagers are registered. */
  public void awaitTaskManagers(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int seen = -1;
    while (System.nanoTime() < deadline) {
      checkJobManagerAlive();
      try {
        seen = rest("/taskmanagers").path("taskmanagers").size();
        if (seen == count) {
          return;
        }
      } catch (IOException e) {
        // The REST endpoint is not up yet.
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException(
        count
            + " TaskManagers not registered within "
            + timeout
            + " (saw "
            + seen
            + "); logs in "
            + logDir);
  }

  /** Resource ids of the TaskManagers registered now. */
  public Set<String> taskManagerIds() throws IOException, InterruptedException {
    Set<String> ids = new TreeSet<>();
    for (JsonNode taskManager : rest("/taskmanagers").path("taskmanagers")) {
      ids.add(taskManager.path("id").asText());
    }
    return ids;
  }

  /** GET a REST path, parsed. */
  public JsonNode rest(String path) throws IOException, InterruptedException {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(restUrl() + path))
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("GET " + path + " answered " + response.statusCode());
    }
    return JSON.readTree(response.body());
  }

  /**
   * Cancels the job over REST and waits until it is CANCELED, as {@code flink cancel} does, without
   * starting a client JVM for it; fails if the job ends otherwise or not within the timeout.
   */
  public void cancel(String job, Duration timeout) throws IOException, InterruptedException {
    String path = "/jobs/" + job + "?mode=cancel";
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(restUrl() + path))
                .timeout(Duration.ofSeconds(5))
                .method("PATCH", HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 202) {
      throw new IOException(
          "PATCH " + path + " answered " + response.statusCode() + ": " + response.body());
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    String state = status(job);
    while (!state.equals("CANCELED")) {
      if (state.equals("FAILED") || state.equals("FINISHED")) {
        throw new IllegalStateException("Job " + job + " ended " + state + " while cancelled");
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "Job " + job + " is still " + state + " " + timeout + " after it was cancelled");
      }
      Thread.sleep(100);
      state = status(job);
    }
  }

  /**
   * The job's status as the dispatcher knows it now: {@code /jobs/<id>} serves a job's details from
   * a cache refreshed only every few seconds, the {@code /jobs} overview asks the dispatcher.
   */
  private String status(String job) throws IOException, InterruptedException {
    for (JsonNode listed : rest("/jobs").path("jobs")) {
      if (listed.path("id").asText().equals(job)) {
        return listed.path("status").asText();
      }
    }
    throw new IOException("Job " + job + " is not listed by /jobs");
  }

  /**
   * Runs the distribution's {@code bin/flink} against this cluster's configuration and returns its
   * output; fails with that output unless it exits 0.
   */
  public String flink(List<String> arguments, Duration timeout)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(home.resolve("bin/flink").toString());
    command.addAll(arguments);
    Path out = Files.createTempFile(dir, "flink-cli-", ".out");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .directory(dir.toFile());
    builder.environment().putAll(environment());
    Process cli = builder.start();
    if (!cli.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
      cli.destroyForcibly();
      throw new IllegalStateException(
          "flink "
              + arguments
              + " did not finish within "
              + timeout
              + ":\n"
              + Files.readString(out));
    }
    String output = Files.readString(out, StandardCharsets.UTF_8);
    if (cli.exitValue() != 0) {
      throw new IllegalStateException(
          "flink " + arguments + " exited " + cli.exitValue() + ":\n" + output);
    }
    return output;
  }

  @Override
  public void close() {
    killAll();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // The hook itself is running; nothing to remove.
    }
  }

  // SIGKILL rather than a graceful stop: the job's state lives in its checkpoints, and a Flink
  // daemon's own shutdown can take tens of seconds on a busy machine.
  private synchronized void killAll() {
    List<GuardedProcess> all = new ArrayList<>(taskManagers);
    if (jobManager != null) {
      all.add(jobManager);
    }
    for (GuardedProcess daemon : all) {
      daemon.stop(0);
    }
  }

  private void checkJobManagerAlive() {
    if (!jobManager.isAlive()) {
      throw new IllegalStateException("The JobManager exited; logs in " + logDir);
    }
  }

  private GuardedProcess daemon(String script, String name)
      throws IOException, InterruptedException {
    Files.createDirectories(logDir);
    return GuardedProcess.start(
        "flink-" + name,
        List.of(home.resolve("bin").resolve(script).toString(), "start-foreground"),
        dir,
        logDir.resolve(name + ".out"),
        environment());
  }

  private Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("FLINK_CONF_DIR", confDir.toString());
    env.put("FLINK_LOG_DIR", logDir.toString());
    env.put("FLINK_PID_DIR", dir.resolve("pid").toString());
    return env;
  }

  /**
   * The distribution's {@code conf/} (loopback addresses set by {@code bin/flink-dist}) plus this
   * cluster's ports, smaller memory than the defaults, one slot per TaskManager (so a job of
   * parallelism 2 spans both and losing either one fails it), and heartbeats every 2 s: a killed
   * TaskManager refuses the next heartbeat RPCs and is declared lost after two of them ({@code
   * heartbeat.rpc-failure-threshold}), while the timeout stays long enough (30 s) that a busy
   * machine does not lose live TaskManagers. Then {@code config}.
   */
  private void writeConf(int rpcPort, Map<String, String> config) throws IOException {
    Files.createDirectories(confDir);
    try (Stream<Path> files = Files.list(home.resolve("conf"))) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Files.copy(file, confDir.resolve(file.getFileName()));
      }
    }
    Path configFile = confDir.resolve("config.yaml");
    String yaml = Files.readString(configFile);
    yaml =
        yaml.replaceFirst("(?m)^(\\s+)port: 6123$", "$1port: " + rpcPort)
            .replaceFirst("(?m)^(\\s+)size: 1600m$", "$1size: 1024m")
            .replaceFirst("(?m)^(\\s+)size: 1728m$", "$1size: 1280m");
    if (!yaml.contains("port: " + rpcPort)) {
      throw new IllegalStateException("No jobmanager.rpc.port 6123 to replace in " + configFile);
    }
    List<String> extra =
        new ArrayList<>(
            List.of(
                "",
                "# qmon: this cluster's own ports and a small footprint",
                "rest.port: " + restPort,
                "blob.server.port: 0",
                "taskmanager.rpc.port: 0",
                "taskmanager.data.port: 0",
                "taskmanager.memory.managed.size: 128m",
                "heartbeat.interval: 2000",
                "heartbeat.timeout: 30000",
                // A TaskManager that starts before the ResourceManager is up fails to register
                // and by default waits 10 s before it tries again, idling the whole cluster.
                "cluster.registration.error-delay: 1 s"));
    config.forEach((key, value) -> extra.add(key + ": " + value));
    extra.add("");
    Files.writeString(configFile, yaml + String.join("\n", extra));
  }

  @Override
  public String toString() {
    return "StandaloneFlinkCluster[" + restUrl() + ", " + dir + "]";
  }
}
