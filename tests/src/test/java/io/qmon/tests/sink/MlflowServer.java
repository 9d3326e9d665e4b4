package io.qmon.tests.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qmon.stack.EmbeddedMlflow;
import io.qmon.stack.Ports;
import io.qmon.stack.StackSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The product's own {@link EmbeddedMlflow} (the project virtualenv's MLflow, sqlite backend,
 * proxied artifacts) on a loopback port, started the way {@code qmon demo} starts it but with one
 * worker; it can be stopped and started again on the same port and database. Results are read back
 * with MLflow's own Python client.
 */
final class MlflowServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String READER =
      """
      import json, sys, mlflow
      from mlflow.tracking import MlflowClient
      client = MlflowClient(sys.argv[1])
      exp = client.get_experiment_by_name(sys.argv[2])
      out = {"runs": []}
      if exp is not None:
          for run in client.search_runs([exp.experiment_id], max_results=1000):
              rid = run.info.run_id
              history = {}
              for key in run.data.metrics:
                  history[key] = [[m.step, m.timestamp, m.value]
                                  for m in client.get_metric_history(rid, key)]
              out["runs"].append({
                  "id": rid,
                  "name": run.info.run_name,
                  "status": run.info.status,
                  "params": run.data.params,
                  "tags": run.data.tags,
                  "history": history,
                  "artifacts": {f.path: f.file_size for f in client.list_artifacts(rid)},
              })
      print(json.dumps(out))
      """;

  private final Path python;
  private final Path workDir;
  private final int port;
  private EmbeddedMlflow server;

  private MlflowServer(Path python, Path workDir, int port) {
    this.python = python;
    this.workDir = workDir;
    this.port = port;
  }

  static MlflowServer start(Path workDir) throws Exception {
    Path python = venvPython();
    MlflowServer mlflow = new MlflowServer(python, workDir, Ports.freeLoopbackPort());
    mlflow.startProcess();
    return mlflow;
  }

  static Path venvPython() {
    Path root = Path.of(System.getProperty("qmon.root", "..")).toAbsolutePath().normalize();
    Path python = root.resolve(".venv/bin/python");
    if (!Files.isExecutable(python)) {
      throw new IllegalStateException(
          "No project virtualenv at " + python + ": run bin/python-env once");
    }
    return python;
  }

  void startProcess() throws Exception {
    server =
        EmbeddedMlflow.start(
            python.getParent().resolve("mlflow"),
            workDir,
            workDir.resolve("mlflow.log"),
            Duration.ofSeconds(Long.getLong("qmon.startup-timeout-s", 240)),
            1,
            StackSettings.LOOPBACK,
            port);
  }

  void stopProcess() {
    server.close();
  }

  String url() {
    return server.url();
  }

  /** Every run of the experiment with params, tags, metric histories and artifacts. */
  JsonNode readExperiment(String experiment) throws IOException, InterruptedException {
    Path script = workDir.resolve("read_mlflow.py");
    Files.writeString(script, READER);
    Process process =
        new ProcessBuilder(python.toString(), script.toString(), url(), experiment)
            .redirectError(ProcessBuilder.Redirect.appendTo(workDir.resolve("reader.log").toFile()))
            .start();
    byte[] out = process.getInputStream().readAllBytes();
    if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException(
          "MLflow reader failed: " + Files.readString(workDir.resolve("reader.log")));
    }
    return JSON.readTree(new String(out, StandardCharsets.UTF_8)).path("runs");
  }

  /**
   * A qmon run, its configuration's parent and its experiment's sweep run, read back by {@code
   * tests/src/test/python/mlflow_run_check.py} with MLflow's Python client: statuses, tags, latest
   * metrics, every artifact path (recursively) and the sweep table's rows.
   */
  JsonNode readRun(String experiment, String qmonRunId) throws IOException, InterruptedException {
    Path root = python.getParent().getParent().getParent();
    Path log = workDir.resolve("run-check.log");
    Process process =
        new ProcessBuilder(
                python.toString(),
                root.resolve("tests/src/test/python/mlflow_run_check.py").toString(),
                url(),
                experiment,
                qmonRunId)
            .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    byte[] out = process.getInputStream().readAllBytes();
    if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException("mlflow_run_check.py failed: " + Files.readString(log));
    }
    return JSON.readTree(new String(out, StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
  }
}
