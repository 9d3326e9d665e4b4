package io.qmon.stack;

import io.qmon.stack.process.GuardedProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A local MLflow tracking server from the project virtualenv (sqlite backend, artifacts proxied to
 * a local folder) on a free loopback port, when the virtualenv has MLflow installed.
 */
public final class EmbeddedMlflow implements AutoCloseable {
  private static final String PID_FILE = "mlflow-server.pid";
  private static final String JOB_EXECUTION = "MLFLOW_SERVER_ENABLE_JOB_EXECUTION";

  private final Path pidFile;
  private final GuardedProcess process;
  private final String url;

  private EmbeddedMlflow(Path pidFile, GuardedProcess process, String url) {
    this.pidFile = pidFile;
    this.process = process;
    this.url = url;
  }

  /** The {@code mlflow} command of the project virtualenv under {@code root}, if installed. */
  public static Optional<Path> command(Path root) {
    Path mlflow = root.resolve(".venv/bin/mlflow");
    return Files.isExecutable(mlflow) ? Optional.of(mlflow) : Optional.empty();
  }

  /**
   * What {@code mlflow server} adds to its environment: MLflow's job execution off, unless the
   * user's environment sets {@value #JOB_EXECUTION} itself. qmon writes runs, metrics and artifacts
   * and runs no MLflow jobs (GenAI judges and scorers); with job execution on, MLflow 3 starts a
   * third Python process at every server start that imports MLflow for nothing (about 5 CPU-seconds
   * and 260 MB with mlflow 3.17.2, measured on this project's two-core machine).
   */
  public static Map<String, String> serverEnvironment() {
    return System.getenv().containsKey(JOB_EXECUTION) ? Map.of() : Map.of(JOB_EXECUTION, "false");
  }

  /**
   * Starts the server with its database and artifacts under {@code dataDir}; waits until healthy.
   */
  public static EmbeddedMlflow start(Path mlflow, Path dataDir, Path logFile, Duration timeout)
      throws IOException {
    return start(mlflow, dataDir, logFile, timeout, 2);
  }

  /** As {@link #start(Path, Path, Path, Duration)} with the given number of server workers. */
  public static EmbeddedMlflow start(
      Path mlflow, Path dataDir, Path logFile, Duration timeout, int workers) throws IOException {
    return start(mlflow, dataDir, logFile, timeout, workers, StackSettings.LOOPBACK);
  }

  /** As {@link #start(Path, Path, Path, Duration, int)}, listening on {@code bindAddress}. */
  public static EmbeddedMlflow start(
      Path mlflow, Path dataDir, Path logFile, Duration timeout, int workers, String bindAddress)
      throws IOException {
    return start(mlflow, dataDir, logFile, timeout, workers, bindAddress, 0);
  }

  /**
   * As {@link #start(Path, Path, Path, Duration, int, String)} on {@code httpPort}; 0 picks a free
   * one.
   */
  public static EmbeddedMlflow start(
      Path mlflow,
      Path dataDir,
      Path logFile,
      Duration timeout,
      int workers,
      String bindAddress,
      int httpPort)
      throws IOException {
    Files.createDirectories(dataDir.resolve("artifacts"));
    Files.createDirectories(logFile.toAbsolutePath().getParent());
    // MLflow has no watchdog of its own: a server left by a launcher killed with kill -9 would
    // hold the database (and a pinned port); stop it first.
    Path pidFile = dataDir.resolve(PID_FILE);
    PidFiles.stopLeftover(pidFile);
    int port = Ports.pinnedOrFree(httpPort, bindAddress, "MLflow");
    String host = StackSettings.advertisedHost(bindAddress);
    // Under the guard: MLflow does not watch its stdin, and a launcher killed with kill -9 must not
    // leave the server (and its uvicorn workers) running.
    GuardedProcess process;
    try {
      process =
          GuardedProcess.start(
              "mlflow",
              List.of(
                  mlflow.toString(),
                  "server",
                  "--host",
                  bindAddress,
                  "--port",
                  Integer.toString(port),
                  "--workers",
                  Integer.toString(workers),
                  "--backend-store-uri",
                  "sqlite:///" + dataDir.resolve("mlflow.db"),
                  "--artifacts-destination",
                  dataDir.resolve("artifacts").toString()),
              dataDir,
              logFile,
              serverEnvironment());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted while starting MLflow", e);
    }
    ProcessHandle.of(process.pid()).ifPresent(handle -> PidFiles.write(pidFile, handle));
    EmbeddedMlflow server =
        new EmbeddedMlflow(
            pidFile,
            process,
            "http://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port);
    try {
      Await.until(
          "MLflow at " + server.url,
          timeout,
          () -> {
            if (!process.isAlive()) {
              throw new IllegalStateException("MLflow exited; see " + logFile);
            }
          },
          server::isHealthy);
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  private boolean isHealthy() {
    return Await.answersOk(url + "/health");
  }

  /** The tracking URI. */
  public String url() {
    return url;
  }

  @Override
  public void close() {
    // The whole process group: MLflow's uvicorn workers are its children.
    process.stop(15);
    PidFiles.stopLeftover(pidFile);
  }
}
