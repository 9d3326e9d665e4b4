package io.qmon.tests.cluster;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.qmon.stack.EmbeddedStack;
import io.qmon.stack.StackSettings;
import io.qmon.stack.cluster.FlinkDistribution;
import io.qmon.stack.cluster.StandaloneFlinkCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The embedded broker and registry plus a standalone Flink cluster of two TaskManagers, and the
 * shaded job jar submitted to it with {@code bin/flink run -d}: what the cluster ITs share. Files
 * (Flink logs, checkpoints, savepoints) stay under {@code tests/target/<name>/<id>/}.
 */
final class QmonOnCluster implements AutoCloseable {
  /**
   * How long each step of a story may take: as long as a server may take to start (a replacement
   * TaskManager is a JVM start, slow while another IT fork loads the machine); {@code
   * -Dqmon.cluster-it.wait-s} overrides it.
   */
  static final Duration WAIT =
      Duration.ofSeconds(
          Long.getLong("qmon.cluster-it.wait-s", Long.getLong("qmon.startup-timeout-s", 240)));

  private static final String JOB_JAR =
      "stream-jobs/target/qmon-stream-jobs-0.1.0-SNAPSHOT-job.jar";
  private static final Pattern JOB_ID = Pattern.compile("JobID ([0-9a-f]{32})");

  final EmbeddedStack stack;
  final StandaloneFlinkCluster cluster;
  final Path work;
  final String checkpointDir;
  private final Path jar;

  private QmonOnCluster(EmbeddedStack stack, StandaloneFlinkCluster cluster, Path work, Path jar) {
    this.stack = stack;
    this.cluster = cluster;
    this.work = work;
    this.jar = jar;
    this.checkpointDir = work.resolve("checkpoints").toUri().toString();
  }

  /** Starts the stack, then the cluster (fetching the distribution on first use). */
  static QmonOnCluster start(String name) throws IOException {
    Path root = Path.of(System.getProperty("qmon.root", ".")).toAbsolutePath().normalize();
    Path jar = root.resolve(JOB_JAR);
    assertTrue(
        Files.isRegularFile(jar),
        jar + " is missing: build it with `mvn -pl stream-jobs -am package -DskipTests`");
    Path work =
        root.resolve("tests/target")
            .resolve(name)
            .resolve(UUID.randomUUID().toString().substring(0, 8));
    Files.createDirectories(work);
    // The distribution (a download on first use) is fetched beside the stack's start; the JVMs
    // start one after the other, which a busy machine copes with better than all at once.
    CompletableFuture<Path> home =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return FlinkDistribution.home(root);
              } catch (IOException | InterruptedException e) {
                throw new IllegalStateException("bin/flink-dist failed", e);
              }
            });
    StackSettings settings = StackSettings.fromSystemProperties();
    EmbeddedStack stack = EmbeddedStack.start(settings);
    try {
      // Starting JVMs is what a loaded machine slows most: the stack's startup timeout
      // (qmon.startup-timeout-s) applies to the Flink daemons too.
      StandaloneFlinkCluster cluster =
          StandaloneFlinkCluster.start(home.join(), work, 2, settings.startupTimeout());
      return new QmonOnCluster(stack, cluster, work, jar);
    } catch (IOException | RuntimeException e) {
      stack.close();
      throw e;
    } catch (InterruptedException e) {
      stack.close();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while starting the Flink cluster", e);
    }
  }

  /**
   * {@code flink run -d [-s savepoint] jar --options} with parallelism 2 and 1 s checkpoints into
   * this test's folder, plus {@code options}; waits for the job's first completed checkpoint (so
   * every task runs) and returns the job id.
   */
  String submit(String savepoint, String group, List<String> options) throws Exception {
    List<String> args = new ArrayList<>(List.of("run", "-m", cluster.restAddress(), "-d"));
    if (savepoint != null) {
      args.addAll(List.of("-s", savepoint));
    }
    args.add(jar.toString());
    args.addAll(
        List.of(
            "--kafka.bootstrap-servers",
            stack.bootstrapServers(),
            "--schema-registry.url",
            stack.schemaRegistryUrl(),
            "--kafka.group-id",
            group,
            "--job.parallelism",
            "2",
            "--job.checkpoint-dir",
            checkpointDir,
            "--job.checkpoint-interval-ms",
            "1000",
            "--job.restart-initial-backoff-ms",
            "500"));
    args.addAll(options);
    String job = match(JOB_ID, cluster.flink(args, WAIT));
    awaitCheckpoints(job, 1);
    return job;
  }

  /** Cancels the job unless it already ended. */
  void cancelIfRunning(String job) throws Exception {
    JsonNode state = cluster.rest("/jobs/" + job);
    if (!Set.of("CANCELED", "FINISHED", "FAILED").contains(state.path("state").asText())) {
      cluster.cancel(job, WAIT);
    }
  }

  /** The REST {@code /jobs/<id>/checkpoints} statistics. */
  JsonNode checkpoints(String job) throws Exception {
    return cluster.rest("/jobs/" + job + "/checkpoints");
  }

  long completedCheckpoints(String job) throws Exception {
    return checkpoints(job).path("counts").path("completed").asLong();
  }

  /** A checkpoint completes only when every task runs, so this also waits for the job to run. */
  void awaitCheckpoints(String job, long completed) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      try {
        if (completedCheckpoints(job) >= completed) {
          return;
        }
      } catch (IOException e) {
        // The job is not known to the REST endpoint yet.
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "Job "
                + job
                + " did not complete "
                + completed
                + " checkpoints; logs in "
                + cluster.logDir());
      }
      Thread.sleep(200);
    }
  }

  static String match(Pattern pattern, String output) {
    Matcher matcher = pattern.matcher(output);
    assertTrue(matcher.find(), "no " + pattern + " in:\n" + output);
    return matcher.group(1);
  }

  @Override
  public void close() {
    cluster.close();
    stack.close();
  }
}
