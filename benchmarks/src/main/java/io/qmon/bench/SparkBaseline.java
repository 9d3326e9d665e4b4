package io.qmon.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qmon.producers.train.Target;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The PySpark baseline: the saturated 5-qubit run's circuit outputs are written as JSON lines with
 * the target, then {@code spark_baseline.py} scores them with a Python UDF on {@code local[2]} in
 * the project virtualenv ({@code bin/python-env bench}), and its wall time is compared with qmon's.
 */
final class SparkBaseline {
  private static final String SCRIPT = "benchmarks/src/main/python/qmon_bench/spark_baseline.py";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path root;
  private final Path dir;
  private Path input;
  private Path target;
  private int rows;

  private SparkBaseline(Path root, Path dir) {
    this.root = root;
    this.dir = dir;
  }

  /** A baseline whose files live under {@code home/bench}; finds the repository root. */
  static SparkBaseline create(Path home) throws IOException {
    Path root = repositoryRoot();
    Path dir = home.resolve("bench");
    Files.createDirectories(dir);
    return new SparkBaseline(root, dir);
  }

  private static Path repositoryRoot() {
    String root = System.getenv("QMON_ROOT");
    if (root == null) {
      root = System.getProperty("qmon.root", ".");
    }
    Path path = Path.of(root).toAbsolutePath().normalize();
    if (!Files.isRegularFile(path.resolve(SCRIPT))) {
      throw new IllegalStateException(
          "Cannot find "
              + SCRIPT
              + " under "
              + path
              + "; run qmon bench from the repository"
              + " (or pass --skip-baseline)");
    }
    return path;
  }

  /** A sink writing the workload's circuit outputs for the script; close it when done. */
  Writer input(Workload workload) throws IOException {
    input = dir.resolve("circuit-outputs-" + workload.label() + ".jsonl");
    target = dir.resolve("target-" + workload.label() + ".json");
    return new Writer(workload);
  }

  /** Rows the baseline reads: the 100,000 circuit outputs (or all, if fewer). */
  static final int ROWS = 100_000;

  /** Writes the first {@link #ROWS} rows as they are generated, and the dense target once. */
  final class Writer implements CircuitOutputSink, AutoCloseable {
    private final BufferedWriter out;

    private Writer(Workload workload) throws IOException {
      out = Files.newBufferedWriter(input, StandardCharsets.UTF_8);
      rows = 0;
      double[] p = Target.standardNormal(workload.qubits()).dense();
      Files.writeString(
          target, JSON.writeValueAsString(Map.of("qubits", workload.qubits(), "probabilities", p)));
    }

    @Override
    public void accept(String runId, int epoch, long[] outcomes, long[] counts) {
      if (rows >= ROWS) {
        return;
      }
      try {
        out.write(
            JSON.writeValueAsString(
                Map.of("run_id", runId, "epoch", epoch, "outcomes", outcomes, "counts", counts)));
        out.newLine();
        rows++;
      } catch (IOException e) {
        throw new UncheckedIOException("Writing " + input + " failed", e);
      }
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }

  /** Runs the script and prints its timings beside qmon's for the same rows. */
  void runAndPrint(PhaseResult qmon, PrintStream out) {
    out.println();
    out.printf(
        "PySpark baseline (local[2], Python UDF; %d rows = the first events of the saturated 5q"
            + " run) ...%n",
        rows);
    try {
      JsonNode result = JSON.readTree(runScript());
      double startup = result.get("startup_s").asDouble();
      double compute = result.get("compute_s").asDouble();
      out.printf("%-34s %10s %12s %10s %12s%n", "", "rows", "wall s", "rows/s", "mean JSD");
      out.printf(
          "%-34s %10d %12.2f %10.0f %12.6f%n",
          "PySpark, read → collected",
          result.get("rows").asInt(),
          compute,
          result.get("rows").asInt() / compute,
          result.get("mean_jsd").asDouble());
      out.printf("%-34s %10s %12.2f%n", "PySpark start-up (JVM + session)", "", startup);
      // qmon's time for the same number of rows, at the rate its saturated run sustained.
      double qmonSeconds = result.get("rows").asInt() / qmon.eventsPerSecond();
      out.printf(
          "%-34s %10d %12.2f %10.0f %12.6f%n",
          "qmon, publish → metric records",
          result.get("rows").asInt(),
          qmonSeconds,
          qmon.eventsPerSecond(),
          qmon.meanJsd());
      double ratio = compute / qmonSeconds;
      out.printf(
          "wall-time ratio PySpark / qmon: %.2f (%.2f counting Spark start-up): %s%n",
          ratio,
          (compute + startup) / qmonSeconds,
          ratio >= 1
              ? String.format("qmon is %.1f× faster", ratio)
              : String.format("PySpark is %.1f× faster", 1 / ratio));
    } catch (IOException | RuntimeException e) {
      out.println("PySpark baseline failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      out.println("PySpark baseline interrupted");
    }
  }

  private String runScript() throws IOException, InterruptedException {
    // First use installs pyspark into the project virtualenv, hence the generous timeout.
    String python =
        run(List.of(root.resolve("bin/python-env").toString(), "bench"), Map.of(), 1800).strip();
    String output =
        run(
            List.of(python, root.resolve(SCRIPT).toString(), input.toString(), target.toString()),
            Map.of(
                "JAVA_HOME",
                System.getProperty("java.home"),
                "SPARK_LOCAL_IP",
                "127.0.0.1",
                "PYSPARK_PYTHON",
                python),
            1800);
    String last = output.strip().lines().reduce((a, b) -> b).orElse("");
    if (!last.startsWith("{")) {
      throw new IllegalStateException("spark_baseline.py printed no result; see " + log());
    }
    return last;
  }

  /** Runs a command with stderr appended to the baseline's log; returns its stdout. */
  private String run(List<String> command, Map<String, String> env, long timeoutSeconds)
      throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(root.toFile())
            .redirectError(ProcessBuilder.Redirect.appendTo(log().toFile()));
    builder.environment().putAll(env);
    Process process = builder.start();
    process.getOutputStream().close();
    CompletableFuture<String> stdout =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + " timed out; see " + log());
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException(
          String.join(" ", command) + " exited with " + process.exitValue() + "; see " + log());
    }
    return stdout.join();
  }

  private Path log() {
    return dir.resolve("spark-baseline.log");
  }
}
