package io.qmon.tests.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qmon.sink.TrackingSinkConfig;
import io.qmon.sink.mlflow.MlflowSink;
import io.qmon.stack.EmbeddedStack;
import io.qmon.stack.StackSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Reproducibility end to end: a Python SDK run started from a script committed in a fresh git
 * repository ends in MLflow with {@code mlflow.source.git.commit} equal to that repository's {@code
 * git rev-parse HEAD} and its environment and circuit as artifacts under {@code run/}, read back
 * with MLflow's own Python client ({@code MlflowClient}).
 */
@ExtendWith(SharedMlflow.class)
class ReproducibilityIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String EXPERIMENT = "it-repro-" + UUID.randomUUID();
  private static final String READER =
      """
      import json, sys, tempfile
      import qiskit
      from mlflow.tracking import MlflowClient
      client = MlflowClient(sys.argv[1])
      exp = client.get_experiment_by_name(sys.argv[2])
      out = {"qiskit": qiskit.__version__}
      for run in (client.search_runs([exp.experiment_id]) if exp else []):
          if run.data.tags.get("qmon.run_id") != sys.argv[3]:
              continue
          texts = {}
          for f in client.list_artifacts(run.info.run_id, "run"):
              local = client.download_artifacts(run.info.run_id, f.path, tempfile.mkdtemp())
              with open(local, encoding="utf-8") as text:
                  texts[f.path] = text.read()
          out.update(status=run.info.status, tags=run.data.tags, artifacts=texts)
      print(json.dumps(out))
      """;

  private static EmbeddedStack stack;
  private static MlflowServer mlflow;
  private static MlflowSink sink;
  private static Path work;
  private static Path python;
  private static Path root;

  @BeforeAll
  static void start(MlflowServer sharedMlflow) throws Exception {
    mlflow = sharedMlflow;
    work = Files.createTempDirectory("qmon-repro-it");
    python = MlflowServer.venvPython();
    root = python.getParent().getParent().getParent();
    stack = EmbeddedStack.start(StackSettings.fromSystemProperties());
    stack.startMonitoringJob(stack.jobConfig(Map.of("kafka.group-id", "it-repro")));
    sink =
        MlflowSink.start(
            TrackingSinkConfig.of(
                Map.of(
                    "kafka.bootstrap-servers",
                    stack.bootstrapServers(),
                    "schema-registry.url",
                    stack.schemaRegistryUrl(),
                    "kafka.group-id-prefix",
                    "it-repro-mlflow",
                    "mlflow.tracking-uri",
                    mlflow.url())),
            stack.schemaRegistry());
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {sink, stack}) {
      if (c != null) {
        c.close();
      }
    }
  }

  @Test
  void shouldShowTheGitCommitTheEnvironmentAndTheCircuitOfAPythonRunInMlflow() throws Exception {
    Path repo = Files.createDirectories(work.resolve("repo"));
    Path script = repo.resolve("train.py");
    Files.copy(root.resolve("tests/src/test/python/reproducible_run.py"), script);
    git(repo, "init", "-q", "-b", "main");
    git(repo, "add", "train.py");
    git(repo, "commit", "-q", "-m", "the experiment");
    String head = git(repo, "rev-parse", "HEAD");

    String runId = "it-repro-" + UUID.randomUUID();
    ProcessBuilder builder =
        new ProcessBuilder(python.toString(), script.toString(), runId, EXPERIMENT)
            .directory(repo.toFile())
            .redirectErrorStream(true);
    builder.environment().put("PYTHONPATH", root.resolve("producers/python").toString());
    builder.environment().put("QMON_BOOTSTRAP_SERVERS", stack.bootstrapServers());
    builder.environment().put("QMON_SCHEMA_REGISTRY_URL", stack.schemaRegistryUrl());
    Process run = builder.start();
    String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(run.waitFor(180, TimeUnit.SECONDS), "the Python run did not end: " + output);
    assertEquals(0, run.exitValue(), "the Python run failed: " + output);

    JsonNode found = awaitRun(runId);
    JsonNode tags = found.path("tags");
    assertEquals(head, tags.path("mlflow.source.git.commit").asText(), tags.toString());
    assertEquals("false", tags.path("qmon.source.git.dirty").asText());
    assertEquals("main", tags.path("mlflow.source.git.branch").asText());
    assertEquals(script.toString(), tags.path("mlflow.source.name").asText());
    assertEquals("python", tags.path("qmon.language").asText());
    assertEquals(found.path("qiskit").asText(), tags.path("qmon.lib.qiskit").asText());
    assertEquals(System.getProperty("user.name"), tags.path("mlflow.user").asText());

    JsonNode artifacts = found.path("artifacts");
    String environment = artifacts.path("run/environment.txt").asText();
    assertTrue(
        environment.lines().anyMatch(("qiskit==" + found.path("qiskit").asText())::equals),
        "environment.txt lists the qiskit the run used:\n" + environment);
    String circuit = artifacts.path("run/circuit.qasm").asText();
    assertTrue(circuit.startsWith("OPENQASM 3.0;"), circuit);
    assertTrue(circuit.contains("cx q[0], q[1];"), circuit);
    assertEquals("FINISHED", found.path("status").asText());
  }

  /** The run as MLflow's Python client reads it, once its artifacts are there and it ended. */
  private static JsonNode awaitRun(String runId) throws Exception {
    Path reader = work.resolve("read_run.py");
    Files.writeString(reader, READER);
    long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
    List<String> seen = new ArrayList<>();
    while (System.nanoTime() < deadline) {
      Process process =
          new ProcessBuilder(python.toString(), reader.toString(), mlflow.url(), EXPERIMENT, runId)
              .redirectError(ProcessBuilder.Redirect.appendTo(work.resolve("reader.log").toFile()))
              .start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the MLflow reader did not end");
      assertEquals(0, process.exitValue(), Files.readString(work.resolve("reader.log")));
      JsonNode found = JSON.readTree(out);
      seen.add(found.path("status").asText() + " " + found.path("artifacts").size());
      if (found.path("artifacts").has("run/environment.txt")
          && "FINISHED".equals(found.path("status").asText())) {
        return found;
      }
      Thread.sleep(1000);
    }
    throw new AssertionError("MLflow never showed run " + runId + " finished: " + seen);
  }

  private static String git(Path repo, String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of("git", "-c", "user.name=qmon-it", "-c", "user.email=it@example.invalid"));
    command.addAll(List.of(args));
    Process p =
        new ProcessBuilder(command).directory(repo.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertEquals(0, p.waitFor(), String.join(" ", command) + ": " + out);
    return out;
  }
}
