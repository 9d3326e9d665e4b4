package io.qmon.tests.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qmon.stack.Ports;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A standalone Flink session cluster from a real distribution ({@link FlinkDistribution}): one
 * JobManager and any number of TaskManagers, each its own JVM started by the distribution's own
 * {@code jobmanager.sh} / {@code taskmanager.sh start-foreground}, on 127.0.0.1 with free ports.
 *
 * <p>Every cluster gets its own copy of {@code conf/} ({@code FLINK_CONF_DIR}), log folder and pid
 * folder, so clusters of parallel builds never meet. TaskManagers can be killed with {@code kill
 * -9} and replaced; {@link #close()} (also run by a shutdown hook) kills whatever still runs.
 */
final class StandaloneFlinkCluster implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path home;
  private final Path dir;
  private final Path confDir;
  private final Path logDir;
  private final int restPort;
  private final Daemon jobManager;
  private final List<Daemon> taskManagers = new ArrayList<>();
  private final Thread shutdownHook = new Thread(this::killAll, "flink-cluster-shutdown");

  private StandaloneFlinkCluster(Path home, Path dir, int restPort)
      throws IOException, InterruptedException {
    this.home = home;
    this.dir = dir;
    this.confDir = dir.resolve("conf");
    this.logDir = dir.resolve("log");
    this.restPort = restPort;
    writeConf(Ports.freeLoopbackPort());
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    this.jobManager = daemon("jobmanager.sh", "jobmanager");
  }

  /**
   * Starts a JobManager and {@code taskManagers} TaskManagers (one slot each) and waits until they
   * are all registered.
   */
  static StandaloneFlinkCluster start(Path home, Path dir, int taskManagers, Duration timeout)
      throws IOException, InterruptedException {
    StandaloneFlinkCluster cluster =
        new StandaloneFlinkCluster(home, dir, Ports.freeLoopbackPort());
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
  String restAddress() {
    return "127.0.0.1:" + restPort;
  }

  String restUrl() {
    return "http://" + restAddress();
  }

  Path logDir() {
    return logDir;
  }

  /** Starts one more TaskManager JVM (it registers on its own; see {@link #awaitTaskManagers}). */
  synchronized void startTaskManager() throws IOException, InterruptedException {
    taskManagers.add(daemon("taskmanager.sh", "taskmanager-" + taskManagers.size()));
  }

  /** The index of the first TaskManager started that still runs. */
  synchronized int firstLiveTaskManager() {
    for (int i = 0; i < taskManagers.size(); i++) {
      if (taskManagers.get(i).shell().isAlive()) {
        return i;
      }
    }
    throw new IllegalStateException("No TaskManager runs; logs in " + logDir);
  }

  /** The pid of the {@code index}th TaskManager started. */
  synchronized long taskManagerPid(int index) {
    return taskManagers.get(index).pid();
  }

  /** Sends SIGKILL to the {@code index}th TaskManager, as {@code kill -9 <pid>} does. */
  void killTaskManager(int index) throws IOException, InterruptedException {
    Daemon taskManager;
    synchronized (this) {
      taskManager = taskManagers.get(index);
    }
    Process kill = new ProcessBuilder("kill", "-9", Long.toString(taskManager.pid())).start();
    if (kill.waitFor() != 0 || !taskManager.shell().waitFor(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("kill -9 " + taskManager.pid() + " did not end it");
    }
  }

  /** Polls REST {@code /taskmanagers} until exactly {@code count} TaskManagers are registered. */
  void awaitTaskManagers(int count, Duration timeout) throws InterruptedException {
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
  Set<String> taskManagerIds() throws IOException, InterruptedException {
    Set<String> ids = new TreeSet<>();
    for (JsonNode taskManager : rest("/taskmanagers").path("taskmanagers")) {
      ids.add(taskManager.path("id").asText());
    }
    return ids;
  }

  /** GET a REST path, parsed. */
  JsonNode rest(String path) throws IOException, InterruptedException {
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
   * Runs the distribution's {@code bin/flink} against this cluster's configuration and returns its
   * output; fails with that output unless it exits 0.
   */
  String flink(List<String> arguments, Duration timeout) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(home.resolve("bin/flink").toString());
    command.addAll(arguments);
    Path out = Files.createTempFile(dir, "flink-cli-", ".out");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .directory(dir.toFile());
    environment(builder.environment());
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

  private synchronized void killAll() {
    List<Daemon> all = new ArrayList<>(taskManagers);
    if (jobManager != null) {
      all.add(jobManager);
    }
    for (Daemon daemon : all) {
      ProcessHandle.of(daemon.pid()).ifPresent(ProcessHandle::destroyForcibly);
    }
    for (Daemon daemon : all) {
      waitQuietly(daemon.shell());
    }
  }

  private static void waitQuietly(Process process) {
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void checkJobManagerAlive() {
    if (!jobManager.shell().isAlive()) {
      throw new IllegalStateException(
          "The JobManager exited with " + jobManager.shell().exitValue() + "; logs in " + logDir);
    }
  }

  /**
   * {@code bin/<script> start-foreground} under a small bash guard: the script execs the JVM, whose
   * pid the guard writes to a file, and the guard SIGKILLs that JVM as soon as this test JVM is
   * gone — so a build killed mid-test leaves no Flink JVMs behind. The guard exits with the JVM.
   */
  private Daemon daemon(String script, String name) throws IOException, InterruptedException {
    Files.createDirectories(logDir);
    Path pidFile = dir.resolve("pid").resolve(name + ".pid");
    Files.createDirectories(pidFile.getParent());
    Files.deleteIfExists(pidFile);
    String guard =
        "\"$@\" & child=$!; echo $child > "
            + pidFile
            + "; (while kill -0 "
            + ProcessHandle.current().pid()
            + " 2>/dev/null && kill -0 $child 2>/dev/null; do sleep 1; done;"
            + " kill -9 $child 2>/dev/null) & wait $child";
    ProcessBuilder builder =
        new ProcessBuilder(
                "bash",
                "-c",
                guard,
                "flink-" + name,
                home.resolve("bin").resolve(script).toString(),
                "start-foreground")
            .redirectErrorStream(true)
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(logDir.resolve(name + ".out").toFile()))
            .directory(dir.toFile());
    environment(builder.environment());
    Process shell = builder.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (Files.exists(pidFile)) {
        String pid = Files.readString(pidFile).strip();
        if (!pid.isEmpty()) {
          return new Daemon(shell, Long.parseLong(pid));
        }
      }
      Thread.sleep(50);
    }
    shell.destroyForcibly();
    throw new IllegalStateException(name + " did not start: see " + logDir);
  }

  /** A Flink JVM ({@code pid}) and the guard shell that started it. */
  private record Daemon(Process shell, long pid) {}

  private void environment(Map<String, String> env) {
    env.put("FLINK_CONF_DIR", confDir.toString());
    env.put("FLINK_LOG_DIR", logDir.toString());
    env.put("FLINK_PID_DIR", dir.resolve("pid").toString());
  }

  /**
   * The distribution's {@code conf/} (loopback addresses set by {@code bin/flink-dist}) plus this
   * cluster's ports, smaller memory than the defaults, one slot per TaskManager (so a job of
   * parallelism 2 spans both and losing either one fails it), and heartbeats every 2 s: a killed
   * TaskManager refuses the next heartbeat RPCs and is declared lost after two of them ({@code
   * heartbeat.rpc-failure-threshold}), while the timeout stays long enough (30 s) that a busy
   * machine does not lose live TaskManagers.
   */
  private void writeConf(int rpcPort) throws IOException {
    Files.createDirectories(confDir);
    try (Stream<Path> files = Files.list(home.resolve("conf"))) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Files.copy(file, confDir.resolve(file.getFileName()));
      }
    }
    Path config = confDir.resolve("config.yaml");
    String yaml = Files.readString(config);
    yaml =
        yaml.replaceFirst("(?m)^(\\s+)port: 6123$", "$1port: " + rpcPort)
            .replaceFirst("(?m)^(\\s+)size: 1600m$", "$1size: 1024m")
            .replaceFirst("(?m)^(\\s+)size: 1728m$", "$1size: 1280m");
    if (!yaml.contains("port: " + rpcPort)) {
      throw new IllegalStateException("No jobmanager.rpc.port 6123 to replace in " + config);
    }
    String extra =
        String.join(
            "\n",
            "",
            "# ClusterFailoverIT: this cluster's own ports and a small footprint",
            "rest.port: " + restPort,
            "blob.server.port: 0",
            "taskmanager.rpc.port: 0",
            "taskmanager.data.port: 0",
            "taskmanager.memory.managed.size: 128m",
            "heartbeat.interval: 2000",
            "heartbeat.timeout: 30000",
            "");
    Files.writeString(config, yaml + extra);
  }

  @Override
  public String toString() {
    return "StandaloneFlinkCluster[" + restUrl() + ", " + dir + "]";
  }
}
